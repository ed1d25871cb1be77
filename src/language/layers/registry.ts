import { Conv1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from './convolution';
import { Activation, Dense, Dropout, Masking, SpatialDropout1D } from './core';
import { Embedding } from './embedding';
import { BatchNormalization, LayerNormalization } from './normalization';
import { GRU, LSTM, SimpleRNN } from './recurrent';
import { RNN } from './rnn';
import {
  CoupledLSTMCell,
  FullPeepholeLSTMCell,
  GRUCell,
  LayerNormGRUCell,
  LayerNormLSTMCell,
  LayerNormSimpleRNNCell,
  LSTMCell,
  PeepholeLSTMCell,
  SimpleRNNCell,
  StackedRNNCells,
} from './cells';
import { Flatten, RepeatVector, Reshape } from './reshaping';
import type { LayerCategory } from '../model';
import type { LayerSpec } from './spec';
import { Bidirectional, TimeDistributed } from './wrappers';

/** Every layer the language knows, by Keras class name. */
export const LAYERS: ReadonlyMap<string, LayerSpec> = new Map(
  [
    SimpleRNN,
    LSTM,
    GRU,
    RNN,
    SimpleRNNCell,
    LSTMCell,
    GRUCell,
    PeepholeLSTMCell,
    FullPeepholeLSTMCell,
    CoupledLSTMCell,
    LayerNormSimpleRNNCell,
    LayerNormLSTMCell,
    LayerNormGRUCell,
    StackedRNNCells,
    Dense,
    Embedding,
    Dropout,
    SpatialDropout1D,
    BatchNormalization,
    LayerNormalization,
    Activation,
    Conv1D,
    MaxPooling1D,
    AveragePooling1D,
    GlobalMaxPooling1D,
    GlobalAveragePooling1D,
    Flatten,
    RepeatVector,
    Reshape,
    Masking,
    Bidirectional,
    TimeDistributed,
  ].map((s) => [s.name, s]),
);

/** Keras aliases that mean the same class. */
export const LAYER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['Conv1d', 'Conv1D'],
  ['Convolution1D', 'Conv1D'],
  ['MaxPool1D', 'MaxPooling1D'],
  ['AvgPool1D', 'AveragePooling1D'],
  ['GlobalMaxPool1D', 'GlobalMaxPooling1D'],
  ['GlobalAvgPool1D', 'GlobalAveragePooling1D'],
]);

export function lookupLayer(name: string): LayerSpec | undefined {
  return LAYERS.get(name) ?? LAYERS.get(LAYER_ALIASES.get(name) ?? '');
}

/** The layers of a category, in registry order: "SimpleRNN, LSTM, GRU" for recurrent. */
export function layersOf(category: LayerCategory): string[] {
  return [...LAYERS.values()].filter((s) => s.category === category).map((s) => s.name);
}
