import * as tf from '@tensorflow/tfjs-core';

const FLOAT16_MAX = 65504;
const FLOAT16_MIN_NORMAL_EXPONENT = -14;
const FLOAT16_MANTISSA_BITS = 10;

/** floor(log2(m)) for m > 0, corrected where float32's log is off by one next to a power of two. */
function binaryExponent(magnitude: tf.Tensor): tf.Tensor {
  const estimate = tf.floor(tf.div(tf.log(magnitude), Math.LN2));
  const up = tf.where(tf.greaterEqual(magnitude, tf.pow(2, tf.add(estimate, 1))), tf.add(estimate, 1), estimate);
  return tf.where(tf.less(magnitude, tf.pow(2, up)), tf.sub(up, 1), up);
}

/**
 * `x` rounded to the nearest IEEE 754 half-precision value (ties to even), kept in float32: magnitudes
 * that round above 65,504 become infinite, those at or below half of the smallest subnormal (2^-24)
 * become zero, every other value keeps 11 significant bits (fewer among subnormals). tfjs 4.22 has
 * no float16 dtype on any backend, so this is how convkit studies float16 numerics on the eager engine.
 */
export function roundToFloat16(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const magnitude = tf.abs(x);
    // Inputs far outside float16's range would give inf/inf below; they overflow anyway.
    const huge = tf.greater(magnitude, 2 * FLOAT16_MAX);
    const safe = tf.where(huge, tf.zerosLike(x), x);
    const exponent = tf.maximum(binaryExponent(tf.maximum(tf.abs(safe), 2 ** -30)), FLOAT16_MIN_NORMAL_EXPONENT);
    const spacing = tf.pow(2, tf.sub(exponent, FLOAT16_MANTISSA_BITS));
    const rounded = tf.mul(tf.round(tf.div(safe, spacing)), spacing);
    const overflowed = tf.logicalOr(huge, tf.greater(tf.abs(rounded), FLOAT16_MAX));
    return tf.where(overflowed, tf.mul(tf.sign(x), Number.POSITIVE_INFINITY), rounded);
  });
}
