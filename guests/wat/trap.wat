;; A guest that traps (unreachable) inside wasi:cli/run: the runner must report the trap and exit 2.
(component
  (core module $m
    (func (export "run") (result i32) unreachable))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance))
)
