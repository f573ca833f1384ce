"""Runs the model works of works.mjs (read as JSON from stdin) on Keras (TensorFlow's Python package,
the same libtensorflow as tfjs-node) with the given thread count, each as an eager train step and as
the same step under tf.function, and that step again under Keras's `mixed_bfloat16` policy
(mode `function-bf16`: bfloat16 compute, float32 variables, the logits cast to float32 for the
loss), and prints one JSON line: {"engine": "keras", "version", "threads", "results": [{"work",
"mode", "ms", "samples"}]}. Same models, batch and timing rule as the PyTorch runner; SGD with
momentum 0.9 as convkit's default."""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402
from tensorflow.keras import layers  # noqa: E402

from step_timing import time_step  # noqa: E402


def lenet5(s):
    inputs = tf.keras.Input(shape=s["input"])
    x = layers.Conv2D(6, 5, padding="same", activation="tanh")(inputs)
    x = layers.AveragePooling2D(2)(x)
    x = layers.Conv2D(16, 5, activation="tanh")(x)
    x = layers.AveragePooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(120, activation="tanh")(x)
    x = layers.Dense(84, activation="tanh")(x)
    return tf.keras.Model(inputs, layers.Dense(s["classes"])(x))


def conv_bn(x, filters, kernel, stride):
    x = layers.Conv2D(filters, kernel, stride, padding="same", use_bias=False)(x)
    return layers.BatchNormalization(momentum=0.9, epsilon=1e-5)(x)


def resnet20(s):
    inputs = tf.keras.Input(shape=s["input"])
    x = layers.ReLU()(conv_bn(inputs, s["stages"][0], 3, 1))
    channels = s["stages"][0]
    for stage, width in enumerate(s["stages"]):
        for block in range(s["blocksPerStage"]):
            stride = 2 if stage > 0 and block == 0 else 1
            h = layers.ReLU()(conv_bn(x, width, 3, stride))
            h = conv_bn(h, width, 3, 1)
            shortcut = conv_bn(x, width, 1, stride) if stride != 1 or channels != width else x
            x = layers.ReLU()(layers.Add()([h, shortcut]))
            channels = width
    x = layers.GlobalAveragePooling2D()(x)
    return tf.keras.Model(inputs, layers.Dense(s["classes"])(x))


MODELS = {"lenet5-train-step": lenet5, "resnet20-train-step": resnet20}


def train_step(build, s, compiled, policy):
    tf.keras.mixed_precision.set_global_policy(policy)
    model = build(s)
    tf.keras.mixed_precision.set_global_policy("float32")
    optimizer = tf.keras.optimizers.SGD(0.01, momentum=0.9)
    x = tf.random.normal([s["batch"], *s["input"]])
    y = tf.one_hot(tf.random.uniform([s["batch"]], 0, s["classes"], dtype=tf.int32), s["classes"])

    def step():
        with tf.GradientTape() as tape:
            logits = tf.cast(model(x, training=True), tf.float32)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y, logits))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    run = tf.function(step) if compiled else step
    if compiled:
        # Tracing is a one-time compile, not a step: done before the timing rule's own warm-up.
        run().numpy()
    return lambda: run().numpy()


def main():
    threads = int(sys.argv[1])
    budget = float(sys.argv[2]) if len(sys.argv) > 2 else 4000.0
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    # One op at a time, as convkit's graph engine runs its sessions: with two at once, two of oneDNN's
    # bfloat16 (AMX) filter gradients can each hold part of the intra-op pool and wait for the rest
    # forever; the mixed_bfloat16 step hung so in 2 of 6 rounds on an AMX Xeon.
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.random.set_seed(0)
    results = []
    for work in json.load(sys.stdin):
        build = MODELS.get(work["name"])
        if build is None:
            continue
        for mode, compiled, policy in (("eager", False, "float32"), ("function", True, "float32"), ("function-bf16", True, "mixed_bfloat16")):
            ms, samples = time_step(train_step(build, work["shape"], compiled, policy), budget)
            results.append({"work": work["name"], "mode": mode, "ms": ms, "samples": samples})
            print(f"  keras {mode}: {work['name']} {ms:.1f} ms", file=sys.stderr)
    print(json.dumps({"engine": "keras", "version": tf.__version__, "threads": threads, "results": results}))


if __name__ == "__main__":
    main()
