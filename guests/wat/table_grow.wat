;; A guest that grows its table without end (issue 20): 1000 elements at a time until table.grow
;; fails, then wasi:cli/run returns err. Under `-W max-table-elements=` that happens at the cap and
;; the host reports the table limit's status; without one, at the engine's own table limit.
(component
  (core module $m
    (table $t 1 funcref)
    (func (export "run") (result i32)
      (block $refused
        (loop $more
          (br_if $refused (i32.eq (table.grow $t (ref.null func) (i32.const 1000)) (i32.const -1)))
          (br $more)))
      (i32.const 1)))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance))
)
