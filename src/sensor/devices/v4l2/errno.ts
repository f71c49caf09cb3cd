/** errno numbers → names for the V4L2 backend's messages and fault mapping (Node's table, by number). */
import { constants } from 'node:os';

let names: Map<number, string> | undefined;

export function errnoName(errno: number): string | undefined {
  if (!names) {
    names = new Map();
    for (const [name, value] of Object.entries(constants.errno)) if (!names.has(value)) names.set(value, name);
  }
  return names.get(Math.abs(errno));
}
