/**
 * `value` rounded to the nearest multiple of `divisor`, never below `minValue` (default `divisor`)
 * and never more than 10% below `value`: torchvision's `_make_divisible`, from the TensorFlow
 * MobileNet code, which MobileNet v2/v3 and EfficientNet apply to every width after the width
 * multiplier so channel counts stay hardware-friendly (multiples of 8).
 */
export function makeDivisible(value: number, divisor = 8, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}
