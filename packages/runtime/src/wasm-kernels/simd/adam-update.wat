;; One Adam step over n float32 entries in one pass, 4 lanes at a time (wasm SIMD), in the memory of
;; tfjs-backend-wasm (imported). For every i:
;;   g  = grad[i] + decay·x[i]                       (coupled decay: an L2 term (decay/2)‖x‖² in the loss)
;;   m' = β1·m[i] + (1 − β1)·g
;;   v' = β2·v[i] + (1 − β2)·g²
;;   x' = shrink·x[i] − lr·(m'·c1) / (√(v'·c2) + ε)   (c_k = 1/(1 − β_k^t); shrink = 1 − lr·λ: AdamW)
;; Outputs may alias inputs: every entry is read before it is written.
;; Regenerate adam-update.wasm.ts with `node scripts/build-wasm-kernels.mjs` (packages/runtime).
(module
  (import "env" "memory" (memory 0))
  (func (export "adam")
    (param $n i32) (param $x i32) (param $g i32) (param $m i32) (param $v i32)
    (param $xo i32) (param $mo i32) (param $vo i32)
    (param $lr f32) (param $b1 f32) (param $b2 f32) (param $eps f32)
    (param $c1 f32) (param $c2 f32) (param $decay f32) (param $shrink f32)
    (local $i i32) (local $off i32) (local $end4 i32)
    (local $X v128) (local $G v128) (local $M v128) (local $V v128)
    (local $LR v128) (local $B1 v128) (local $A1 v128) (local $B2 v128) (local $A2 v128)
    (local $EPS v128) (local $C1 v128) (local $C2 v128) (local $D v128) (local $S v128)
    (local $xs f32) (local $gs f32) (local $ms f32) (local $vs f32)
    (local $a1 f32) (local $a2 f32)
    (local.set $a1 (f32.sub (f32.const 1) (local.get $b1)))
    (local.set $a2 (f32.sub (f32.const 1) (local.get $b2)))
    (local.set $LR (f32x4.splat (local.get $lr)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $A1 (f32x4.splat (local.get $a1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $A2 (f32x4.splat (local.get $a2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $D (f32x4.splat (local.get $decay)))
    (local.set $S (f32x4.splat (local.get $shrink)))
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $simd_done
      (loop $simd
        (br_if $simd_done (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $X (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $G
          (f32x4.add
            (v128.load (i32.add (local.get $g) (local.get $off)))
            (f32x4.mul (local.get $D) (local.get $X))))
        (local.set $M
          (f32x4.add
            (f32x4.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $off))))
            (f32x4.mul (local.get $A1) (local.get $G))))
        (local.set $V
          (f32x4.add
            (f32x4.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $off))))
            (f32x4.mul (local.get $A2) (f32x4.mul (local.get $G) (local.get $G)))))
        (v128.store (i32.add (local.get $mo) (local.get $off)) (local.get $M))
        (v128.store (i32.add (local.get $vo) (local.get $off)) (local.get $V))
        (v128.store (i32.add (local.get $xo) (local.get $off))
          (f32x4.sub
            (f32x4.mul (local.get $S) (local.get $X))
            (f32x4.mul
              (local.get $LR)
              (f32x4.div
                (f32x4.mul (local.get $M) (local.get $C1))
                (f32x4.add
                  (f32x4.sqrt (f32x4.mul (local.get $V) (local.get $C2)))
                  (local.get $EPS))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $simd)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $xs (f32.load (i32.add (local.get $x) (local.get $off))))
        (local.set $gs
          (f32.add
            (f32.load (i32.add (local.get $g) (local.get $off)))
            (f32.mul (local.get $decay) (local.get $xs))))
        (local.set $ms
          (f32.add
            (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $off))))
            (f32.mul (local.get $a1) (local.get $gs))))
        (local.set $vs
          (f32.add
            (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $off))))
            (f32.mul (local.get $a2) (f32.mul (local.get $gs) (local.get $gs)))))
        (f32.store (i32.add (local.get $mo) (local.get $off)) (local.get $ms))
        (f32.store (i32.add (local.get $vo) (local.get $off)) (local.get $vs))
        (f32.store (i32.add (local.get $xo) (local.get $off))
          (f32.sub
            (f32.mul (local.get $shrink) (local.get $xs))
            (f32.mul
              (local.get $lr)
              (f32.div
                (f32.mul (local.get $ms) (local.get $c1))
                (f32.add
                  (f32.sqrt (f32.mul (local.get $vs) (local.get $c2)))
                  (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))))
