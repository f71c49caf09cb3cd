;; `wasi-edge check` test guest: loops forever without calling the host (outcome: hung past the
;; timeout; only a thread that can be terminated from outside stops it).
(component
  (core module $m
    (func (export "run") (result i32)
      (loop $forever (br $forever))
      i32.const 0))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance))
)
