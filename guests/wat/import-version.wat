;; A guest built against a version of an interface this host does not implement
;; (wasi-edge:host/access@0.9.0; the host has 0.1.0): refused before it runs, naming the version.
(component
  (import "wasi-edge:host/access@0.9.0" (instance $access (export "frobnicate" (func))))
  (core func $frob (canon lower (func $access "frobnicate")))
  (core instance $host (export "frobnicate" (func $frob)))
  (core module $m
    (import "host" "frobnicate" (func $frobnicate))
    (func (export "run") (result i32) call $frobnicate i32.const 0))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance))
)
