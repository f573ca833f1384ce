import { writeFileAtomic } from '@convkit/core';
import { type SerializeOptions, serializeSafetensors, type TensorToWrite } from './serialize.js';

/** Writes `tensors` to a safetensors file at `path`, atomically (see {@link serializeSafetensors}). */
export async function writeSafetensors(
  path: string,
  tensors: Iterable<[string, TensorToWrite]>,
  options?: SerializeOptions,
): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, options));
}
