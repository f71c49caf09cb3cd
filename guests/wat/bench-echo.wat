;; Benchmark guest: `bench-loop(n)` calls the trivial host import `echo(x) -> x` n times.
;; bench/call-overhead.bench.mjs compares it with the same core module calling a plain JS
;; import, to measure what the jco bindings add per call.
(component
  (import "wasi-edge:bench/probe@0.1.0" (instance $probe
    (export "echo" (func (param "x" u32) (result u32)))))
  (core func $echo (canon lower (func $probe "echo")))
  (core module $m
    (import "probe" "echo" (func $echo (param i32) (result i32)))
    (func (export "bench-loop") (param $n i32) (result i32)
      (local $i i32) (local $acc i32)
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (call $echo (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.get $acc)))
  (core instance $probe-core (export "echo" (func $echo)))
  (core instance $i (instantiate $m (with "probe" (instance $probe-core))))
  (func $bench-loop (param "n" u32) (result u32) (canon lift (core func $i "bench-loop")))
  (export "bench-loop" (func $bench-loop))
)
