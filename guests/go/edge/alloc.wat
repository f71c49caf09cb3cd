;; The canonical ABI's `cabi_realloc` for Go guests. Go 1.23 cannot export a function from a wasip1
;; module, so guests/go/build.mjs merges this module into the Go one (binaryen's wasm-merge, which
;; fuses this module's memory import with Go's memory and Go's imports of "wasi-edge-alloc" with the
;; exports below).
;;
;; Go's heap grows through memory.grow and takes whatever address it returns, so this allocator
;; never hands out memory Go owns: it works only in pages it grew itself. Two kinds of block:
;;   - permanent: anything allocated outside a binding call (the preview1 adapter's state, at the
;;     first WASI call) is never freed;
;;   - transient: between `begin` and `end` (the edge package brackets each host call that returns
;;     lists or strings this way, and copies them into Go memory before it calls `end`), blocks come
;;     from one arena that is reused from its start once every bracket has ended.
(module
  (import "go" "memory" (memory 0))
  ;; permanent blocks: bump through [perm, perm_end)
  (global $perm (mut i32) (i32.const 0))
  (global $perm_end (mut i32) (i32.const 0))
  ;; the transient arena [arena, arena_end), next free byte at $next
  (global $arena (mut i32) (i32.const 0))
  (global $arena_end (mut i32) (i32.const 0))
  (global $next (mut i32) (i32.const 0))
  ;; open begin/end brackets (goroutines may interleave them)
  (global $depth (mut i32) (i32.const 0))

  ;; Fresh pages for at least $bytes; their address. Out of memory is a trap, as for any allocator
  ;; the canonical ABI calls.
  (func $grow (param $bytes i32) (result i32)
    (local $old i32)
    (local.set $old (memory.grow (i32.shr_u (i32.add (local.get $bytes) (i32.const 65535)) (i32.const 16))))
    (if (i32.eq (local.get $old) (i32.const -1)) (then unreachable))
    (i32.shl (local.get $old) (i32.const 16)))

  (func $align (param $p i32) (param $align i32) (result i32)
    (i32.and (i32.add (local.get $p) (i32.sub (local.get $align) (i32.const 1)))
             (i32.sub (i32.const 0) (local.get $align))))

  ;; A transient block: from the arena, or from a new arena twice as large (the old one is left).
  (func $transient (param $size i32) (param $align i32) (result i32)
    (local $p i32) (local $want i32)
    (local.set $p (call $align (global.get $next) (local.get $align)))
    (if (i32.gt_u (i32.add (local.get $p) (local.get $size)) (global.get $arena_end))
      (then
        (local.set $want (i32.add (local.get $size) (local.get $align)))
        (if (i32.lt_u (local.get $want) (i32.shl (i32.sub (global.get $arena_end) (global.get $arena)) (i32.const 1)))
          (then (local.set $want (i32.shl (i32.sub (global.get $arena_end) (global.get $arena)) (i32.const 1)))))
        (if (i32.lt_u (local.get $want) (i32.const 65536)) (then (local.set $want (i32.const 65536))))
        (global.set $arena (call $grow (local.get $want)))
        (global.set $arena_end (i32.add (global.get $arena)
          (i32.and (i32.add (local.get $want) (i32.const 65535)) (i32.const -65536))))
        (local.set $p (call $align (global.get $arena) (local.get $align)))))
    (global.set $next (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func $permanent (param $size i32) (param $align i32) (result i32)
    (local $p i32)
    (local.set $p (call $align (global.get $perm) (local.get $align)))
    (if (i32.gt_u (i32.add (local.get $p) (local.get $size)) (global.get $perm_end))
      (then
        (global.set $perm (call $grow (i32.add (local.get $size) (local.get $align))))
        (global.set $perm_end (i32.add (global.get $perm)
          (i32.and (i32.add (i32.add (local.get $size) (local.get $align)) (i32.const 65535)) (i32.const -65536))))
        (local.set $p (call $align (global.get $perm) (local.get $align)))))
    (global.set $perm (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (if (i32.eqz (local.get $size)) (then (return (local.get $align))))
    (if (global.get $depth)
      (then (local.set $p (call $transient (local.get $size) (local.get $align))))
      (else (local.set $p (call $permanent (local.get $size) (local.get $align)))))
    ;; a growing realloc keeps the old contents (blocks are never freed one by one)
    (if (i32.and (i32.ne (local.get $old) (i32.const 0)) (i32.ne (local.get $old_size) (i32.const 0)))
      (then (memory.copy (local.get $p) (local.get $old)
        (select (local.get $old_size) (local.get $size) (i32.lt_u (local.get $old_size) (local.get $size))))))
    (local.get $p))

  (func (export "begin")
    (global.set $depth (i32.add (global.get $depth) (i32.const 1))))

  (func (export "end")
    (global.set $depth (i32.sub (global.get $depth) (i32.const 1)))
    (if (i32.eqz (global.get $depth)) (then (global.set $next (global.get $arena)))))
)
