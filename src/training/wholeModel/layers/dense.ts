// Keras's Dense on the whole-model path: y = f(x·kernel + bias) over the last axis, so on 2-D
// input one row per sample and on 3-D input one row per sample and step (tfjs's Dense does the
// same). The products go through fused/matmul.ts; the mask passes through, as in Keras.
import type * as tf from '../../tf';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables';
import { addProjectionGradients, projectInputs } from '../../fused/projection';
import type { Activations, LayerFactory, Weight, WholeModelLayer } from '../layer';
import { activationId, arrayActivation, type ArrayActivation } from './activation-function';
import { Reusable } from './buffers';
import { penaltyOf, withPenalty } from './regularizer';
import { unsupportedOption } from './unsupported';
import { weightOf } from './weights';

interface DenseInternals {
  units: number;
  kernel: LayerVariable;
  bias: LayerVariable | null;
  activation: unknown;
}

class WholeModelDense implements WholeModelLayer {
  readonly weights: Weight[];
  private readonly kernel: Weight;
  private readonly bias: Weight | null;
  private x: Float32Array = new Float32Array(0);
  private rows = 0;
  private readonly z = new Reusable();
  private readonly y = new Reusable();
  private readonly dz = new Reusable();
  private readonly dx = new Reusable();

  constructor(
    readonly name: string,
    private readonly inputs: number,
    private readonly units: number,
    kernel: LayerVariable,
    bias: LayerVariable | null,
    private readonly activation: ArrayActivation,
  ) {
    this.kernel = weightOf(kernel);
    this.bias = bias ? weightOf(bias) : null;
    this.weights = this.bias ? [this.kernel, this.bias] : [this.kernel];
  }

  forward(input: Activations): Activations {
    const { inputs, units } = this;
    const rows = input.values.length / inputs;
    this.x = input.values;
    this.rows = rows;
    const linear = this.activation.id === 'linear';
    // x · kernel + bias: the same product as a recurrent layer's input projection.
    const z = projectInputs(input.values, rows, inputs, this.kernel.values, units, this.bias?.values ?? null,
      linear ? this.y.take(rows * units) : this.z.take(rows * units));
    const y = linear ? z : this.y.take(rows * units);
    if (!linear) this.activation.forward(z, y, units);
    return { values: y, shape: [...input.shape.slice(0, -1), units], mask: input.mask };
  }

  backward(dy: Float32Array, needInputGradient: boolean): Float32Array | null {
    const { inputs, units, rows } = this;
    let dz = dy;
    if (this.activation.id !== 'linear') {
      dz = this.dz.take(rows * units);
      this.activation.backward(this.z.take(rows * units), this.y.take(rows * units), dy, dz, units);
    }
    const dx = needInputGradient ? this.dx.take(rows * inputs) : null;
    addProjectionGradients(this.x, rows, inputs, this.kernel.values, units, dz, {
      dx,
      dKernel: this.kernel.grad,
      dBias: this.bias?.grad ?? null,
    });
    return dx;
  }
}

export const denseFactory: LayerFactory = (layer: tf.layers.Layer, inputShape: number[]) => {
  const held = layer as unknown as DenseInternals;
  const problem = unsupportedOption(layer, { kernel_constraint: 'kernelConstraint', bias_constraint: 'biasConstraint' });
  if (problem) return problem;
  const regularizers = layer as unknown as { kernelRegularizer?: unknown; biasRegularizer?: unknown };
  const kernelPenalty = penaltyOf(layer.name, 'kernel_regularizer', regularizers.kernelRegularizer);
  const biasPenalty = penaltyOf(layer.name, 'bias_regularizer', regularizers.biasRegularizer);
  for (const p of [kernelPenalty, biasPenalty]) if (p && 'unsupported' in p) return p;
  const id = activationId(held.activation);
  const activation = arrayActivation(id);
  if (activation === null) return { unsupported: `${layer.name}: activation '${id}' is not computed on the whole-model path` };
  const dense = new WholeModelDense(layer.name, inputShape[inputShape.length - 1], held.units, held.kernel, held.bias, activation);
  withPenalty(dense.weights[0], kernelPenalty);
  if (held.bias) withPenalty(dense.weights[1], biasPenalty);
  return dense;
};
