import { ConvkitError } from '@convkit/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * ShuffleNet's channel shuffle on NHWC: the channels, seen as `groups` groups of equal size, are
 * interleaved (channel g * size + p moves to p * groups + g). PC-DARTS shuffles after each partial
 * mixed op so that the next edge samples a different quarter of the channels.
 */
export function channelShuffle(x: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c % groups !== 0) {
    throw new ConvkitError(
      'bad-option',
      `channel shuffle of ${c} channels into ${groups} groups: channels must be a multiple of the groups`,
    );
  }
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [n, h, w, groups, c / groups]), [0, 1, 2, 4, 3]), [n, h, w, c]));
}

/**
 * Checks a PC-DARTS sampling ratio K against the network's initial width C: every cell width (C, 2C,
 * 4C) must split into K parts, each of an even width, since the stride-2 `skip_connect` (a
 * factorized reduce) halves its C/K channels.
 */
export function checkPartialChannels(partialChannels: number, channels: number): void {
  if (!(Number.isInteger(partialChannels) && partialChannels > 0)) {
    throw new ConvkitError('bad-option', `partial channels K must be a positive integer, got ${partialChannels}; PC-DARTS uses 4`);
  }
  if (channels % (2 * partialChannels) !== 0) {
    throw new ConvkitError(
      'bad-option',
      `with partial channels K=${partialChannels} the channels must be a multiple of 2K=${2 * partialChannels} (each edge sees an even C/K); got ${channels}, try --channels ${2 * partialChannels * Math.max(1, Math.round(channels / (2 * partialChannels)))}`,
    );
  }
}
