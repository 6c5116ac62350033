;; MBO hot-path kernel: decodes a run of plain 56-byte MBO records (rtype 0xA0, length
;; byte 14) from the input region into column arrays, all in this module's memory.
;; Compiled with `wat2wasm` into mboKernel.wasm.ts (see build.sh); the JS decoder copies
;; the columns into the caller's MboBatch. No bounds checks are needed beyond wasm's own.
(module
  (memory (export "memory") 1)
  ;; column base addresses, set once by init()
  (global $ri (mut i32) (i32.const 0))   ;; recordIndex f64
  (global $pub (mut i32) (i32.const 0))  ;; publisherId u16
  (global $ins (mut i32) (i32.const 0))  ;; instrumentId u32
  (global $teh (mut i32) (i32.const 0))  ;; tsEventHi u32
  (global $tel (mut i32) (i32.const 0))  ;; tsEventLo u32
  (global $trh (mut i32) (i32.const 0))  ;; tsRecvHi u32
  (global $trl (mut i32) (i32.const 0))  ;; tsRecvLo u32
  (global $trs (mut i32) (i32.const 0))  ;; tsRecvSec f64
  (global $trn (mut i32) (i32.const 0))  ;; tsRecvNano u32
  (global $oih (mut i32) (i32.const 0))  ;; orderIdHi u32
  (global $oil (mut i32) (i32.const 0))  ;; orderIdLo u32
  (global $px (mut i32) (i32.const 0))   ;; price f64
  (global $sz (mut i32) (i32.const 0))   ;; size u32
  (global $fl (mut i32) (i32.const 0))   ;; flags u8
  (global $ch (mut i32) (i32.const 0))   ;; channelId u8
  (global $ac (mut i32) (i32.const 0))   ;; action u8
  (global $sd (mut i32) (i32.const 0))   ;; side u8
  (global $tid (mut i32) (i32.const 0))  ;; tsInDelta i32
  (global $sq (mut i32) (i32.const 0))   ;; sequence u32
  (global $cnt (mut i32) (i32.const 0))  ;; action counts f64[256]
  ;; cached start of the current ts_recv second
  (global $secStart (mut i64) (i64.const 0))
  (global $secVal (mut f64) (f64.const 0))

  (func (export "init")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (global.set $ri (local.get 0)) (global.set $pub (local.get 1)) (global.set $ins (local.get 2))
    (global.set $teh (local.get 3)) (global.set $tel (local.get 4)) (global.set $trh (local.get 5))
    (global.set $trl (local.get 6)) (global.set $trs (local.get 7)) (global.set $trn (local.get 8))
    (global.set $oih (local.get 9)) (global.set $oil (local.get 10)) (global.set $px (local.get 11))
    (global.set $sz (local.get 12)) (global.set $fl (local.get 13)) (global.set $ch (local.get 14))
    (global.set $ac (local.get 15)) (global.set $sd (local.get 16)) (global.set $tid (local.get 17))
    (global.set $sq (local.get 18)) (global.set $cnt (local.get 19)))

  ;; Decode up to $max records starting at byte $pos into rows $row0..; $rec is the stream
  ;; index of the first. Stops at the first record that is not a plain MBO. Returns the
  ;; number of rows written.
  (func (export "run") (param $pos i32) (param $row0 i32) (param $max i32) (param $rec f64) (result i32)
    (local $n i32) (local $stop i32) (local $ts i64) (local $d i64) (local $sec i64) (local $p i64)
    (local $a i32) (local $c i32)
    (local.set $n (local.get $row0))
    (local.set $stop (i32.add (local.get $row0) (local.get $max)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $n) (local.get $stop)))
        (br_if $done (i32.ne (i32.load16_u (local.get $pos)) (i32.const 0xa00e)))
        (f64.store (i32.add (global.get $ri) (i32.shl (local.get $n) (i32.const 3)))
          (f64.add (local.get $rec) (f64.convert_i32_u (i32.sub (local.get $n) (local.get $row0)))))
        (i32.store16 (i32.add (global.get $pub) (i32.shl (local.get $n) (i32.const 1)))
          (i32.load16_u offset=2 (local.get $pos)))
        (local.set $c (i32.shl (local.get $n) (i32.const 2)))
        (i32.store (i32.add (global.get $ins) (local.get $c)) (i32.load offset=4 (local.get $pos)))
        (i32.store (i32.add (global.get $tel) (local.get $c)) (i32.load offset=8 (local.get $pos)))
        (i32.store (i32.add (global.get $teh) (local.get $c)) (i32.load offset=12 (local.get $pos)))
        (i32.store (i32.add (global.get $oil) (local.get $c)) (i32.load offset=16 (local.get $pos)))
        (i32.store (i32.add (global.get $oih) (local.get $c)) (i32.load offset=20 (local.get $pos)))
        (local.set $p (i64.load offset=24 (local.get $pos)))
        (f64.store (i32.add (global.get $px) (i32.shl (local.get $n) (i32.const 3)))
          (select
            (f64.const nan)
            (f64.convert_i64_s (local.get $p))
            (i64.eq (local.get $p) (i64.const 0x7fffffffffffffff))))
        (i32.store (i32.add (global.get $sz) (local.get $c)) (i32.load offset=32 (local.get $pos)))
        (i32.store8 (i32.add (global.get $fl) (local.get $n)) (i32.load8_u offset=36 (local.get $pos)))
        (i32.store8 (i32.add (global.get $ch) (local.get $n)) (i32.load8_u offset=37 (local.get $pos)))
        (local.set $a (i32.load8_u offset=38 (local.get $pos)))
        (i32.store8 (i32.add (global.get $ac) (local.get $n)) (local.get $a))
        (i32.store8 (i32.add (global.get $sd) (local.get $n)) (i32.load8_u offset=39 (local.get $pos)))
        ;; action counts
        (local.set $a (i32.add (global.get $cnt) (i32.shl (local.get $a) (i32.const 3))))
        (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.const 1)))
        ;; ts_recv and its exact seconds/nanos split (cached second start)
        (local.set $ts (i64.load offset=40 (local.get $pos)))
        (i32.store (i32.add (global.get $trl) (local.get $c)) (i32.wrap_i64 (local.get $ts)))
        (i32.store (i32.add (global.get $trh) (local.get $c)) (i32.wrap_i64 (i64.shr_u (local.get $ts) (i64.const 32))))
        (local.set $d (i64.sub (local.get $ts) (global.get $secStart)))
        (if (i64.ge_u (local.get $d) (i64.const 1000000000))
          (then
            (local.set $sec (i64.div_u (local.get $ts) (i64.const 1000000000)))
            (global.set $secStart (i64.mul (local.get $sec) (i64.const 1000000000)))
            (global.set $secVal (f64.convert_i64_u (local.get $sec)))
            (local.set $d (i64.sub (local.get $ts) (global.get $secStart)))))
        (f64.store (i32.add (global.get $trs) (i32.shl (local.get $n) (i32.const 3))) (global.get $secVal))
        (i32.store (i32.add (global.get $trn) (local.get $c)) (i32.wrap_i64 (local.get $d)))
        (i32.store (i32.add (global.get $tid) (local.get $c)) (i32.load offset=48 (local.get $pos)))
        (i32.store (i32.add (global.get $sq) (local.get $c)) (i32.load offset=52 (local.get $pos)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 56)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.sub (local.get $n) (local.get $row0)))
)
