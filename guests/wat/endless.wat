;; A guest stuck in a loop inside wasi:cli/run (issue 20): no import is ever called again, so only
;; stopping its thread can end it. Under `-W timeout=` the host stops it and exits with the time
;; limit's status; without one it runs forever.
(component
  (core module $m
    (func (export "run") (result i32)
      (loop $forever (br $forever))
      unreachable))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance))
)
