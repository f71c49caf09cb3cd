/**
 * Type-checks files of this folder with the compiler options of its tsconfig.json, in process,
 * with some files given as text instead of read from disk (generated sources, or a file with its
 * expected-error directives taken out so the errors themselves can be read).
 */
import ts from 'typescript';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TYPECHECK_DIR = dirname(fileURLToPath(import.meta.url));

export interface Checked {
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Every error of the given files (the rest of the program is the build's to check). */
  errors: ts.Diagnostic[];
}

/** `files`: path relative to this folder → its text; they are the program's roots. */
export function typeCheck(files: Record<string, string>): Checked {
  const config = ts.getParsedCommandLineOfConfigFile(join(TYPECHECK_DIR, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error('test/typecheck/tsconfig.json could not be read');
  const given = new Map(Object.entries(files).map(([p, text]) => [resolve(TYPECHECK_DIR, p), text]));
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => given.has(resolve(f)) || ts.sys.fileExists(f);
  host.readFile = (f) => given.get(resolve(f)) ?? readFile(f);
  host.getSourceFile = (f, language, onError, create) => {
    const text = given.get(resolve(f));
    return text === undefined ? getSourceFile(f, language, onError, create) : ts.createSourceFile(f, text, language, true);
  };
  const program = ts.createProgram({ rootNames: [...given.keys()], options: config.options, host });
  const roots = new Set(given.keys());
  const errors = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].filter(
    (d) => d.category === ts.DiagnosticCategory.Error && d.file !== undefined && roots.has(resolve(d.file.fileName)),
  );
  return { program, checker: program.getTypeChecker(), errors };
}

/** `file:line: TS1234 message` (line 1-based), for assertions and failure messages. */
export function describeError(d: ts.Diagnostic): { file: string; line: number; code: number; message: string } {
  const file = d.file!;
  const line = file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
  return { file: file.fileName, line, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
}

/** The string literals a type alias exported from `file` stands for (a union of them, or one). */
export function literalsOf(checked: Checked, file: string, alias: string): string[] {
  const type = aliasType(checked, file, alias);
  return (type.isUnion() ? type.types : [type]).map((t) => {
    if (!t.isStringLiteral()) throw new Error(`${alias}: ${checked.checker.typeToString(t)} is not a string literal`);
    return t.value;
  });
}

/** The property names of a type alias exported from `file`; of every member, for a union. */
export function keysOf(checked: Checked, file: string, alias: string): string[] {
  const type = aliasType(checked, file, alias);
  const names = new Set<string>();
  for (const t of type.isUnion() ? type.types : [type]) for (const p of checked.checker.getPropertiesOfType(t)) names.add(p.name);
  return [...names];
}

function aliasType(checked: Checked, file: string, alias: string): ts.Type {
  const source = checked.program.getSourceFile(resolve(TYPECHECK_DIR, file));
  if (!source) throw new Error(`${file} is not in the program`);
  const decl = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === alias);
  if (!decl) throw new Error(`${file} declares no type ${alias}`);
  return checked.checker.getTypeAtLocation(decl.name);
}
