// Node 20 has no Float16Array, so IEEE half precision is converted by hand, on the bits of float32.
const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** Shifts `m` right by `shift` bits (1 ≤ shift ≤ 24), rounding to nearest, ties to even. */
function shiftRoundEven(m: number, shift: number): number {
  const kept = m >>> shift;
  const rest = m & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/**
 * The IEEE 754 half-precision bit pattern (0 … 0xffff) nearest to `x`, rounding to nearest with
 * ties to even, as the hardware conversion does: `x` is first rounded to float32, values too
 * small for the smallest subnormal (2⁻²⁴) go to ±0, values of magnitude 65520 or more go to ±∞
 * (0x7c00 / 0xfc00), NaN becomes the quiet NaN 0x7e00 (with its sign). Callers that must not
 * store an overflow check for ±∞ themselves.
 *
 * @example
 * ```ts
 * float32ToFloat16Bits(1); // 0x3c00
 * float32ToFloat16Bits(65504); // 0x7bff, the largest finite half
 * float32ToFloat16Bits(2 ** -24); // 0x0001, the smallest subnormal
 * ```
 */
export function float32ToFloat16Bits(x: number): number {
  scratchFloat[0] = x;
  const bits = scratchBits[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | (mantissa === 0 ? 0x7c00 : 0x7e00);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // A half subnormal counts units of 2⁻²⁴: the 24-bit significand shifted by 126 − exponent.
    // Float32 subnormals (exponent 0) are far below 2⁻²⁵ and shift out entirely.
    const shift = 126 - exponent;
    if (shift > 24) return sign;
    // A carry into 0x400 is exactly the smallest normal's pattern.
    return sign | shiftRoundEven(mantissa | 0x800000, shift);
  }
  // A carry out of the mantissa rolls into the exponent, and from 30 into 0x7c00: ∞, as it should.
  return sign | ((halfExponent << 10) + shiftRoundEven(mantissa, 13));
}

/**
 * The number a half-precision bit pattern stands for (exactly representable as float32):
 * subnormals, ±0, ±∞ and NaN included.
 *
 * @example
 * ```ts
 * float16BitsToFloat32(0x3c00); // 1
 * float16BitsToFloat32(0x0001); // 2 ** -24
 * float16BitsToFloat32(0xc000); // -2
 * ```
 */
export function float16BitsToFloat32(bits: number): number {
  const sign = (bits & 0x8000) === 0 ? 1 : -1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (0x400 + mantissa) * 2 ** (exponent - 25);
}
