// Export to Keras of the recurrent cells Keras 3 lacks: where Keras 2 or TensorFlow Addons had
// the cell, the exported file imports it from there; otherwise it defines a small Keras cell
// class with the equations and weights of src/language/layers/cells.ts, so the file runs
// under TensorFlow 2 (tf.keras) with the same parameter counts.

/** Cells imported from a library other than tensorflow.keras.layers, and from where. */
const IMPORTED: Record<string, string> = {
  // Keras 2 only (tf.keras.experimental, removed with Keras 3 in TensorFlow 2.16).
  PeepholeLSTMCell: 'tensorflow.keras.experimental',
  // TensorFlow Addons (pip install tensorflow-addons).
  LayerNormLSTMCell: 'tensorflow_addons.rnn',
  LayerNormSimpleRNNCell: 'tensorflow_addons.rnn',
};

/** The weights' layout every exported cell shares, as Keras's own cells have it. */
const BASE = `class SeqModelCell(tf.keras.layers.Layer):
    """Kernel, recurrent kernel and bias over \`blocks\` gates, in Keras's layout (SeqModel Studio)."""
    blocks = 1
    forget_block = None  # the gate unit_forget_bias starts at 1

    def __init__(self, units, activation='tanh', recurrent_activation='sigmoid', use_bias=True,
                 unit_forget_bias=True, kernel_initializer='glorot_uniform',
                 recurrent_initializer='orthogonal', bias_initializer='zeros', **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.output_size = units
        self.activation = tf.keras.activations.get(activation)
        self.recurrent_activation = tf.keras.activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.unit_forget_bias = unit_forget_bias
        self.kernel_initializer = tf.keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = tf.keras.initializers.get(recurrent_initializer)
        self.bias_initializer = tf.keras.initializers.get(bias_initializer)

    def build(self, input_shape):
        n = self.blocks * self.units
        self.kernel = self.add_weight(name='kernel', shape=(input_shape[-1], n), initializer=self.kernel_initializer)
        self.recurrent_kernel = self.add_weight(name='recurrent_kernel', shape=(self.units, n), initializer=self.recurrent_initializer)
        self.bias = self.add_weight(name='bias', shape=(n,), initializer=self._bias_init) if self.use_bias else None

    def _bias_init(self, shape, dtype=None):
        parts = [self.bias_initializer((self.units,), dtype=dtype) for _ in range(self.blocks)]
        if self.unit_forget_bias and self.forget_block is not None:
            parts[self.forget_block] = tf.ones((self.units,), dtype=dtype)
        return tf.concat(parts, 0)

    def _with_bias(self, z):
        return z if self.bias is None else z + self.bias

    def get_config(self):
        # What Bidirectional (which copies the layer it wraps) and model saving rebuild the cell from.
        config = super().get_config()
        config.update(units=self.units, use_bias=self.use_bias,
                      activation=tf.keras.activations.serialize(self.activation),
                      recurrent_activation=tf.keras.activations.serialize(self.recurrent_activation),
                      kernel_initializer=tf.keras.initializers.serialize(self.kernel_initializer),
                      recurrent_initializer=tf.keras.initializers.serialize(self.recurrent_initializer),
                      bias_initializer=tf.keras.initializers.serialize(self.bias_initializer))
        if self.forget_block is not None:
            config['unit_forget_bias'] = self.unit_forget_bias
        return config`;

const CUSTOM: Record<string, string> = {
  FullPeepholeLSTMCell: `class FullPeepholeLSTMCell(SeqModelCell):
    """LSTM whose chosen gates read the cell state through a units x units matrix:
    f_t = sigma(W_f x_t + U_f h_{t-1} + P_f c_{t-1} + b_f), i_t likewise, o_t with P_o c_t."""
    blocks = 4
    forget_block = 1

    def __init__(self, units, peephole_gates=('forget', 'input', 'output'), **kwargs):
        super().__init__(units, **kwargs)
        self.peephole_gates = list(peephole_gates)
        self.state_size = [units, units]

    def build(self, input_shape):
        super().build(input_shape)
        self.peepholes = {g: self.add_weight(name=g + '_peephole_kernel', shape=(self.units, self.units),
                                             initializer=self.kernel_initializer) for g in self.peephole_gates}

    def get_config(self):
        return {**super().get_config(), 'peephole_gates': self.peephole_gates}

    def _peep(self, gate, z, state):
        return z + tf.matmul(state, self.peepholes[gate]) if gate in self.peepholes else z

    def call(self, inputs, states):
        h, c = states
        zi, zf, zc, zo = tf.split(self._with_bias(tf.matmul(inputs, self.kernel) + tf.matmul(h, self.recurrent_kernel)), 4, axis=-1)
        i = self.recurrent_activation(self._peep('input', zi, c))
        f = self.recurrent_activation(self._peep('forget', zf, c))
        c = f * c + i * self.activation(zc)
        h = self.recurrent_activation(self._peep('output', zo, c)) * self.activation(c)
        return h, [h, c]`,
  CoupledLSTMCell: `class CoupledLSTMCell(SeqModelCell):
    """LSTM with coupled input and forget gates: c_t = f_t * c_{t-1} + (1 - f_t) * tanh(...)."""
    blocks = 3
    forget_block = 0

    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.state_size = [units, units]

    def call(self, inputs, states):
        h, c = states
        zf, zc, zo = tf.split(self._with_bias(tf.matmul(inputs, self.kernel) + tf.matmul(h, self.recurrent_kernel)), 3, axis=-1)
        f = self.recurrent_activation(zf)
        c = f * c + (1 - f) * self.activation(zc)
        h = self.recurrent_activation(zo) * self.activation(c)
        return h, [h, c]`,
  LayerNormGRUCell: `class LayerNormGRUCell(SeqModelCell):
    """GRU with layer normalization of W x_t and U h_{t-1} (as TF Addons' LayerNormLSTMCell does),
    the reset gate applied after the recurrent product."""
    blocks = 3

    def __init__(self, units, norm_epsilon=1e-3, norm_gamma_initializer='ones', norm_beta_initializer='zeros', **kwargs):
        super().__init__(units, **kwargs)
        self.state_size = units
        self.norm = dict(norm_epsilon=norm_epsilon,
                         norm_gamma_initializer=tf.keras.initializers.serialize(tf.keras.initializers.get(norm_gamma_initializer)),
                         norm_beta_initializer=tf.keras.initializers.serialize(tf.keras.initializers.get(norm_beta_initializer)))
        norm = dict(epsilon=norm_epsilon, gamma_initializer=norm_gamma_initializer, beta_initializer=norm_beta_initializer)
        self.kernel_norm = tf.keras.layers.LayerNormalization(name='kernel_norm', **norm)
        self.recurrent_norm = tf.keras.layers.LayerNormalization(name='recurrent_norm', **norm)

    def get_config(self):
        return {**super().get_config(), **self.norm}

    def call(self, inputs, states):
        h = states[0]
        xz, xr, xh = tf.split(self._with_bias(self.kernel_norm(tf.matmul(inputs, self.kernel))), 3, axis=-1)
        hz, hr, hh = tf.split(self.recurrent_norm(tf.matmul(h, self.recurrent_kernel)), 3, axis=-1)
        z = self.recurrent_activation(xz + hz)
        r = self.recurrent_activation(xr + hr)
        h = z * h + (1 - z) * self.activation(xh + r * hh)
        return h, [h]`,
};

export interface CellExport {
  /** The classes left to import from tensorflow.keras.layers. */
  kerasLayers: string[];
  /** Import lines of the other libraries, and `import tensorflow as tf` for the classes. */
  imports: string[];
  /** Class definitions to emit after the imports (empty when none is needed). */
  classes: string[];
}

/** Splits a model's layer classes by where Keras code finds them. */
export function cellExport(layerClasses: string[]): CellExport {
  const kerasLayers = layerClasses.filter((c) => !(c in IMPORTED) && !(c in CUSTOM));
  const imports: string[] = [];
  const from = new Map<string, string[]>();
  for (const c of layerClasses.filter((c) => c in IMPORTED)) from.set(IMPORTED[c], [...(from.get(IMPORTED[c]) ?? []), c]);
  for (const [module, names] of from) imports.push(`from ${module} import ${names.join(', ')}`);
  const custom = layerClasses.filter((c) => c in CUSTOM);
  if (custom.length) imports.push('import tensorflow as tf');
  return { kerasLayers, imports, classes: custom.length ? [BASE, ...custom.map((c) => CUSTOM[c])] : [] };
}
