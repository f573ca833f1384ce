/**
 * `value` rounded to the nearest multiple of `divisor`, never below `minValue` (default `divisor`)
 * and, when that rounding lost more than `1 - roundLimit` of `value` (default 10%), one `divisor`
 * higher: torchvision's `_make_divisible` (timm's `make_divisible`), from the TensorFlow MobileNet
 * code, which MobileNet v2/v3 and EfficientNet apply to every width after the width multiplier so
 * channel counts stay hardware-friendly (multiples of 8). timm's squeeze-excitation rounds its
 * reduced width with `roundLimit: 0` (no 10% rule).
 */
export function makeDivisible(value: number, divisor = 8, minValue = divisor, roundLimit = 0.9): number {
  const rounded = Math.max(minValue, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < roundLimit * value ? rounded + divisor : rounded;
}
