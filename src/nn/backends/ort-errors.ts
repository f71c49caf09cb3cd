/**
 * ONNX Runtime's load failures, classified by message (the same C++ core behind onnxruntime-node and
 * onnxruntime-web; messages as of 1.30, pinned by test/nn tests).
 */
export function ortLoadErrorKind(message: string): 'invalid-model' | 'unsupported' | 'runtime' {
  if (/protobuf parsing failed|model data pointer is null|INVALID_PROTOBUF/i.test(message)) return 'invalid-model';
  if (/No Op registered|NOT_IMPLEMENTED|Could not find an implementation|Unsupported model IR version|unsupported data type|opset .* is under development/i.test(message)) {
    return 'unsupported';
  }
  if (/invalid model/i.test(message)) return 'invalid-model';
  return 'runtime';
}
