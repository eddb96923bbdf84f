import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';

describe('float16 conversion', () => {
  it('gives the IEEE half bit patterns of known values', () => {
    const known: [number, number][] = [
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff], // the largest finite half
      [2 ** -24, 0x0001], // the smallest subnormal
      [1023 * 2 ** -24, 0x03ff], // the largest subnormal
      [2 ** -14, 0x0400], // the smallest normal
      [0.1, 0x2e66],
      [1 / 3, 0x3555],
      [0, 0x0000],
      [-0, 0x8000],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [65520, 0x7c00], // halfway between 65504 and 65536 rounds to even: overflow to ∞
      [65519.99, 0x7bff],
      [-1e6, 0xfc00],
      [2 ** -26, 0x0000], // below half the smallest subnormal: 0
      [-(2 ** -26), 0x8000],
      [1e-40, 0x0000], // a float32 subnormal
    ];
    for (const [x, bits] of known) expect([x, float32ToFloat16Bits(x)]).toEqual([x, bits]);
    expect(float32ToFloat16Bits(NaN) & 0x7fff).toBe(0x7e00);
  });

  it('rounds halfway cases to the even neighbour, normals and subnormals alike', () => {
    const ties: [number, number][] = [
      [1 + 2 ** -11, 0x3c00], // between 0x3c00 and 0x3c01: even is 0x3c00
      [1 + 3 * 2 ** -11, 0x3c02], // between 0x3c01 and 0x3c02: even is 0x3c02
      [2049, 0x6800], // 2048 and 2050 are neighbours: 2048
      [2051, 0x6802], // 2050 and 2052: 2052
      [2 ** -25, 0x0000], // between 0 and the smallest subnormal: 0
      [3 * 2 ** -25, 0x0002], // between 0x0001 and 0x0002: 0x0002
      [5 * 2 ** -25, 0x0002], // between 0x0002 and 0x0003: 0x0002
      [(2047 / 2) * 2 ** -24, 0x0400], // between the largest subnormal and the smallest normal
      [-(1 + 2 ** -11), 0xbc00],
    ];
    for (const [x, bits] of ties) expect([x, float32ToFloat16Bits(x)]).toEqual([x, bits]);
    // Just off a tie rounds to the nearer neighbour.
    expect(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(float32ToFloat16Bits(2049.01)).toBe(0x6801);
  });

  it('decodes known bit patterns', () => {
    expect(float16BitsToFloat32(0x3c00)).toBe(1);
    expect(float16BitsToFloat32(0xc000)).toBe(-2);
    expect(float16BitsToFloat32(0x7bff)).toBe(65504);
    expect(float16BitsToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16BitsToFloat32(0x2e66)).toBe(0.0999755859375);
    expect(Object.is(float16BitsToFloat32(0x8000), -0)).toBe(true);
    expect(float16BitsToFloat32(0xfc00)).toBe(-Infinity);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
  });

  it('round-trips every one of the 65536 half patterns except NaN', () => {
    let checked = 0;
    for (let bits = 0; bits < 0x10000; bits++) {
      const isNaN = (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
      if (isNaN) continue;
      const x = float16BitsToFloat32(bits);
      expect(Math.fround(x)).toBe(x); // every half is a float32
      const back = float32ToFloat16Bits(x);
      if (back !== bits) expect([bits, back]).toEqual([bits, bits]);
      checked += 1;
    }
    expect(checked).toBe(65536 - 2 * 1023);
  });

  it('rounds every float32 to a nearest half (checked against the neighbours on a grid)', () => {
    // For x between two finite halves a < b, the result is whichever is nearer (ties: even bits).
    for (let i = 0; i < 20000; i++) {
      const x = Math.fround((i - 10000) * 3.3301 + i * 1e-3);
      const bits = float32ToFloat16Bits(x);
      const h = float16BitsToFloat32(bits);
      const step = float16BitsToFloat32((bits & 0x7fff) + 1) - float16BitsToFloat32(bits & 0x7fff);
      expect(Math.abs(h - x)).toBeLessThanOrEqual(step / 2 + 1e-12);
    }
  });
});
