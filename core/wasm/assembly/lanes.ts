// f32 <-> f64 lane helpers shared by the kernels (not exported from the module: they take and return v128).

/** Two f32 at p as f64x2. */
@inline export function lo(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** f64x2 rounded to two f32 at p. */
@inline export function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** f64x2 rounded to f32 and back (a sum rounded where the TS kernel stores it). */
@inline export function round2(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}
