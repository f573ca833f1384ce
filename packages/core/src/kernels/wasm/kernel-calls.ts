import * as tf from '@tensorflow/tfjs-core';

type Attrs = tf.NamedAttrMap;

/**
 * Calls the wasm backend's own registered kernels (XNNPACK-backed convolution, transpose, pad...) from
 * inside another kernel, tracking every intermediate so one `dispose()` frees them all. The engine
 * never sees these intermediates, so nothing else would free their wasm heap memory.
 */
export class WasmKernelCalls {
  private readonly intermediates: tf.TensorInfo[] = [];

  constructor(readonly backend: tf.KernelBackend) {}

  /**
   * Runs the `wasm` kernel `name`; its output is freed by {@link dispose} unless {@link keep} claims it.
   * `inputs` is a list only for the kernels that tfjs calls with one (Concat, Pack, AddN).
   */
  run(name: string, inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], attrs: Attrs = {}): tf.TensorInfo {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
    const out = kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: this.backend, attrs }) as tf.TensorInfo;
    this.intermediates.push(out);
    return out;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Pads each axis by `[before, after]`; negative amounts crop instead. */
  padOrCrop(x: tf.TensorInfo, amounts: [number, number][]): tf.TensorInfo {
    let current = x;
    if (amounts.some(([before, after]) => before < 0 || after < 0)) {
      const begin = amounts.map(([before]) => Math.max(0, -before));
      const size = amounts.map(([before, after], axis) => (x.shape[axis] as number) - Math.max(0, -before) - Math.max(0, -after));
      current = this.run('Slice', { x: current }, { begin, size });
    }
    if (amounts.some(([before, after]) => before > 0 || after > 0)) {
      const paddings = amounts.map(([before, after]) => [Math.max(0, before), Math.max(0, after)]);
      current = this.run('PadV2', { x: current }, { paddings, constantValue: 0 });
    }
    return current;
  }

  /** Keeps `out` alive past {@link dispose}: the kernel returns it to the engine. */
  keep(out: tf.TensorInfo): tf.TensorInfo {
    const index = this.intermediates.indexOf(out);
    if (index >= 0) this.intermediates.splice(index, 1);
    return out;
  }

  dispose(): void {
    for (const t of this.intermediates) this.backend.disposeData(t.dataId);
    this.intermediates.length = 0;
  }
}

/** Runs `body` with a fresh {@link WasmKernelCalls}, returning the output it keeps and freeing the rest. */
export function withKernelCalls(backend: unknown, body: (calls: WasmKernelCalls) => tf.TensorInfo): tf.TensorInfo {
  const calls = new WasmKernelCalls(backend as tf.KernelBackend);
  try {
    return calls.keep(body(calls));
  } finally {
    calls.dispose();
  }
}
