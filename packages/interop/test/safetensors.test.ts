import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeToFloat32,
  float16ToFloat32,
  float32ToBfloat16,
  float32ToFloat16,
  parseSafetensors,
  readSafetensors,
  serializeSafetensors,
  writeSafetensors,
} from '../src/index.js';

const fixture = new URL('./fixtures/torch_dtypes.safetensors', import.meta.url);
/** The float32 values PyTorch decodes each stored tensor to (torch_dtypes.py). */
const expected = JSON.parse(readFileSync(new URL('./fixtures/torch_dtypes.json', import.meta.url), 'utf8')) as Record<string, string[]>;

describe('a safetensors file written by PyTorch (plain struct, torch_dtypes.py)', () => {
  const contents = parseSafetensors(new Uint8Array(readFileSync(fixture)), 'torch_dtypes.safetensors');

  it.each(['f32', 'f16', 'bf16'])('%s decodes to the float32 values PyTorch gives', (name) => {
    const tensor = contents.tensors.get(name)!;
    expect(tensor.shape).toEqual([2, 7]);
    expect(Array.from(decodeToFloat32(tensor.bytes, tensor.dtype))).toEqual(expected[name]!.map(Number));
  });

  it("keeps BatchNorm's I64 counter and the metadata", () => {
    const counter = contents.tensors.get('counter')!;
    expect([counter.dtype, counter.shape, Array.from(decodeToFloat32(counter.bytes, 'I64'))]).toEqual(['I64', [], [7]]);
    expect(contents.metadata).toEqual({ format: 'pt' });
  });

  it("float32 -> float16 and -> bfloat16 round as PyTorch's .half() and .bfloat16() do, bit for bit", () => {
    const f32 = decodeToFloat32(contents.tensors.get('f32')!.bytes, 'F32');
    const f16 = contents.tensors.get('f16')!.bytes;
    const bf16 = contents.tensors.get('bf16')!.bytes;
    const bits = (bytes: Uint8Array) => Array.from(new Uint16Array(bytes.slice().buffer));
    expect(Array.from(f32, float32ToFloat16)).toEqual(bits(f16));
    expect(Array.from(f32, float32ToBfloat16)).toEqual(bits(bf16));
  });

  it('the file reader gives what the in-memory parser gives', async () => {
    const read = await readSafetensors(fixture.pathname);
    expect([...read.tensors.keys()]).toEqual([...contents.tensors.keys()]);
    expect(Array.from(read.tensors.get('bf16')!.bytes)).toEqual(Array.from(contents.tensors.get('bf16')!.bytes));
  });
});

describe('writing', () => {
  it('round-trips F32, F16 and BF16 tensors with metadata through a file', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'convkit-st-')), 'w.safetensors');
    const values = [0.5, -1.25, 3, 1024];
    await writeSafetensors(
      path,
      [
        ['a', { shape: [2, 2], values, dtype: 'F32' }],
        ['b', { shape: [4], values, dtype: 'F16' }],
        ['c', { shape: [1, 4], values, dtype: 'BF16' }],
        ['empty', { shape: [0, 3], values: [] }],
      ],
      { metadata: { arch: 'x' } },
    );
    const { tensors, metadata } = await readSafetensors(path);
    for (const name of ['a', 'b', 'c']) {
      const t = tensors.get(name)!;
      expect(Array.from(decodeToFloat32(t.bytes, t.dtype))).toEqual(values);
    }
    expect(tensors.get('empty')!.shape).toEqual([0, 3]);
    expect(metadata).toEqual({ arch: 'x' });
  });

  it('pads the header to 8 bytes and stores tensors back to back, as the reference reader requires', () => {
    const bytes = serializeSafetensors([
      ['x', { shape: [3], values: [1, 2, 3], dtype: 'F16' }],
      ['y', { shape: [1], values: [1] }],
    ]);
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    expect([header.x.data_offsets, header.y.data_offsets]).toEqual([
      [0, 6],
      [6, 10],
    ]);
    expect(bytes.byteLength).toBe(8 + length + 10);
  });

  it('refuses values that do not fill the shape', () => {
    expect(() => serializeSafetensors([['x', { shape: [2, 2], values: [1, 2, 3] }]])).toThrow(/shape \[2, 2\] \(4 values\) but 3 values/);
  });
});

it('float16 keeps subnormals, overflows to infinity and keeps NaN', () => {
  expect(float16ToFloat32(float32ToFloat16(2 ** -24))).toBe(2 ** -24);
  expect(float16ToFloat32(float32ToFloat16(1e6))).toBe(Number.POSITIVE_INFINITY);
  expect(float16ToFloat32(float32ToFloat16(Number.NaN))).toBeNaN();
  expect(float16ToFloat32(float32ToFloat16(-65504))).toBe(-65504);
});
