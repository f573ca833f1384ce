/**
 * Conversions between float32 and the two 16-bit float formats of PyTorch checkpoints: IEEE float16
 * (`F16`, 5-bit exponent) and bfloat16 (`BF16`, the top half of a float32). Both round to nearest even,
 * as PyTorch's `.half()` and `.bfloat16()` do, so a round trip through convkit gives PyTorch's bits.
 */

const scratch = new DataView(new ArrayBuffer(4));

function floatBits(value: number): number {
  scratch.setFloat32(0, value, true);
  return scratch.getUint32(0, true);
}

function bitsFloat(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}

/** The float32 value of IEEE float16 bits. */
export function float16ToFloat32(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** IEEE float16 bits of `value`, rounded to nearest even; overflow gives infinity, NaN stays NaN. */
export function float32ToFloat16(value: number): number {
  const bits = floatBits(value);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const unbiased = exponent - 127;
  if (unbiased > 15) return sign | 0x7c00;
  if (unbiased >= -14) {
    // Normal half: keep 10 mantissa bits, round the 13 dropped ones to nearest even (a carry may
    // ripple into the exponent, which is what rounding up to the next binade means).
    let half = ((unbiased + 15) << 10) | (mantissa >>> 13);
    const dropped = mantissa & 0x1fff;
    if (dropped > 0x1000 || (dropped === 0x1000 && half & 1)) half += 1;
    return sign | half;
  }
  if (unbiased < -25) return sign;
  // Subnormal half: the implicit leading 1 becomes explicit and shifts right with the rest.
  const full = mantissa | 0x800000;
  const shift = -unbiased - 14 + 13;
  let half = full >>> shift;
  const dropped = full & ((1 << shift) - 1);
  const midpoint = 1 << (shift - 1);
  if (dropped > midpoint || (dropped === midpoint && half & 1)) half += 1;
  return sign | half;
}

/** The float32 value of bfloat16 bits. */
export function bfloat16ToFloat32(bits: number): number {
  return bitsFloat((bits & 0xffff) << 16);
}

/** bfloat16 bits of `value`, rounded to nearest even; NaN stays NaN. */
export function float32ToBfloat16(value: number): number {
  const bits = floatBits(value);
  if ((bits & 0x7f800000) === 0x7f800000 && bits & 0x7fffff) return (bits >>> 16) | 0x40;
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}
