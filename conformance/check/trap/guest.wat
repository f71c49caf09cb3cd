;; `wasi-edge check` test guest: traps with an out-of-bounds load (outcome: trapped).
(component
  (core module $m
    (memory 1)
    (func (export "run") (result i32) i32.const 0x7fffffff i32.load))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance))
)
