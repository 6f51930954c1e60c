;; SIMD helpers for the tfjs wasm backend's training kernels. They run on the backend's own
;; memory (imported), on tensors addressed by byte offset. Compiled to _simd_kernels.ts by
;; _build_simd_kernels.ts (wabt); edit this file, then rebuild.
(module
  (import "env" "memory" (memory 1))

  ;; Gradient of 2x2, stride-2, unpadded max pooling over NHWC float32 data whose channel count
  ;; is a multiple of 4. Each window's gradient goes to its first maximum in row-major order
  ;; (strict >, starting from -inf, so NaNs never win), as on the tfjs cpu backend; the other
  ;; three entries get 0. Rows and columns outside every window are left untouched.
  (func (export "maxPoolGrad2x2")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $inH i32) (param $inW i32) (param $ch i32)
    (param $oh i32) (param $ow i32)
    (local $n i32) (local $r i32) (local $c i32) (local $q i32)
    (local $cb i32) (local $row i32) (local $xo i32) (local $go i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $m v128) (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128)
    (local $t v128) (local $v v128) (local $ninf v128)
    (local.set $ninf (f32x4.splat (f32.const -inf)))
    (local.set $cb (i32.shl (local.get $ch) (i32.const 2)))          ;; bytes per pixel
    (local.set $row (i32.mul (local.get $inW) (local.get $cb)))       ;; bytes per input row
    (local.set $go (local.get $dy))
    (local.set $n (i32.const 0))
    (block $bn (loop $ln
      (br_if $bn (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $r (i32.const 0))
      (block $br (loop $lr
        (br_if $br (i32.ge_u (local.get $r) (local.get $oh)))
        ;; byte offset of input row 2r of image n
        (local.set $xo (i32.mul
          (i32.add (i32.mul (local.get $n) (local.get $inH)) (i32.shl (local.get $r) (i32.const 1)))
          (local.get $row)))
        (local.set $c (i32.const 0))
        (block $bc (loop $lc
          (br_if $bc (i32.ge_u (local.get $c) (local.get $ow)))
          (local.set $q (i32.const 0))
          (block $bq (loop $lq
            (br_if $bq (i32.ge_u (local.get $q) (local.get $cb)))
            (local.set $end (i32.add (local.get $xo) (local.get $q)))
            (local.set $a0 (v128.load (i32.add (local.get $x) (local.get $end))))
            (local.set $a1 (v128.load (i32.add (i32.add (local.get $x) (local.get $end)) (local.get $cb))))
            (local.set $a2 (v128.load (i32.add (i32.add (local.get $x) (local.get $end)) (local.get $row))))
            (local.set $a3 (v128.load (i32.add (i32.add (i32.add (local.get $x) (local.get $end)) (local.get $row)) (local.get $cb))))
            (local.set $g0 (f32x4.gt (local.get $a0) (local.get $ninf)))
            (local.set $m (v128.bitselect (local.get $a0) (local.get $ninf) (local.get $g0)))
            (local.set $g1 (f32x4.gt (local.get $a1) (local.get $m)))
            (local.set $m (v128.bitselect (local.get $a1) (local.get $m) (local.get $g1)))
            (local.set $g2 (f32x4.gt (local.get $a2) (local.get $m)))
            (local.set $m (v128.bitselect (local.get $a2) (local.get $m) (local.get $g2)))
            (local.set $g3 (f32x4.gt (local.get $a3) (local.get $m)))
            (local.set $v (v128.load (i32.add (local.get $go) (local.get $q))))
            ;; one-hot: the last window position that raised the running maximum
            (v128.store (i32.add (i32.add (i32.add (local.get $dx) (local.get $end)) (local.get $row)) (local.get $cb))
              (v128.and (local.get $v) (local.get $g3)))
            (local.set $t (local.get $g3))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $end)) (local.get $row))
              (v128.and (local.get $v) (v128.andnot (local.get $g2) (local.get $t))))
            (local.set $t (v128.or (local.get $t) (local.get $g2)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $end)) (local.get $cb))
              (v128.and (local.get $v) (v128.andnot (local.get $g1) (local.get $t))))
            (local.set $t (v128.or (local.get $t) (local.get $g1)))
            (v128.store (i32.add (local.get $dx) (local.get $end))
              (v128.and (local.get $v) (v128.andnot (local.get $g0) (local.get $t))))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $lq)))
          (local.set $go (i32.add (local.get $go) (local.get $cb)))
          (local.set $xo (i32.add (local.get $xo) (i32.shl (local.get $cb) (i32.const 1))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $lc)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $lr)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $ln)))
  )
;; Filter gradient of a conv with few input taps (kh * kw * cin small, e.g. a first layer):
  ;; dw[i, j, ci, co] += sum over (b, r, c) of x[b, r*sh + i*dh - pt, c*sw + j*dw - pl, ci] *
  ;; dy[b, r, c, co], one pass over dy, accumulating in dw (which the caller zeroes). cout must
  ;; be a multiple of 4. NHWC float32; taps that fall in the padding contribute nothing.
  (func (export "convFilterGradSmall")
    (param $x i32) (param $dy i32) (param $dw i32)
    (param $batch i32) (param $inH i32) (param $inW i32) (param $cin i32)
    (param $oh i32) (param $ow i32) (param $cout i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32)
    (param $dh i32) (param $dwl i32) (param $pt i32) (param $pl i32)
    (local $n i32) (local $r i32) (local $c i32) (local $i i32) (local $j i32) (local $k i32)
    (local $q i32) (local $h i32) (local $w i32) (local $ob i32) (local $gp i32) (local $xp i32)
    (local $ap i32) (local $xv v128)
    (local.set $ob (i32.shl (local.get $cout) (i32.const 2)))       ;; bytes per dy pixel
    (local.set $gp (local.get $dy))
    (local.set $n (i32.const 0))
    (block $bn (loop $ln
      (br_if $bn (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $r (i32.const 0))
      (block $br (loop $lr
        (br_if $br (i32.ge_u (local.get $r) (local.get $oh)))
        (local.set $c (i32.const 0))
        (block $bc (loop $lc
          (br_if $bc (i32.ge_u (local.get $c) (local.get $ow)))
          (local.set $i (i32.const 0))
          (block $bi (loop $li
            (br_if $bi (i32.ge_u (local.get $i) (local.get $kh)))
            (local.set $h (i32.sub
              (i32.add (i32.mul (local.get $r) (local.get $sh)) (i32.mul (local.get $i) (local.get $dh)))
              (local.get $pt)))
            (if (i32.lt_u (local.get $h) (local.get $inH)) (then
              (local.set $j (i32.const 0))
              (block $bj (loop $lj
                (br_if $bj (i32.ge_u (local.get $j) (local.get $kw)))
                (local.set $w (i32.sub
                  (i32.add (i32.mul (local.get $c) (local.get $sw)) (i32.mul (local.get $j) (local.get $dwl)))
                  (local.get $pl)))
                (if (i32.lt_u (local.get $w) (local.get $inW)) (then
                  ;; x[b, h, w, 0] and dw[i, j, 0, 0]
                  (local.set $xp (i32.add (local.get $x) (i32.shl
                    (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inH)) (local.get $h))
                      (local.get $inW)) (local.get $w)) (local.get $cin))
                    (i32.const 2))))
                  (local.set $ap (i32.add (local.get $dw) (i32.mul
                    (i32.mul (i32.add (i32.mul (local.get $i) (local.get $kw)) (local.get $j)) (local.get $cin))
                    (local.get $ob))))
                  (local.set $k (i32.const 0))
                  (block $bk (loop $lk
                    (br_if $bk (i32.ge_u (local.get $k) (local.get $cin)))
                    (local.set $xv (v128.load32_splat (local.get $xp)))
                    (local.set $q (i32.const 0))
                    (block $bq (loop $lq
                      (br_if $bq (i32.ge_u (local.get $q) (local.get $ob)))
                      (v128.store (i32.add (local.get $ap) (local.get $q))
                        (f32x4.add
                          (v128.load (i32.add (local.get $ap) (local.get $q)))
                          (f32x4.mul (local.get $xv) (v128.load (i32.add (local.get $gp) (local.get $q))))))
                      (local.set $q (i32.add (local.get $q) (i32.const 16)))
                      (br $lq)))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $ap (i32.add (local.get $ap) (local.get $ob)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $lk)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $lj)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $li)))
          (local.set $gp (i32.add (local.get $gp) (local.get $ob)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $lc)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $lr)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $ln)))
  )
)
