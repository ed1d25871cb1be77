// The custom tfjs layers and initializer a built model may contain. Importing this module
// registers them with tfjs's serialization, which tf.loadLayersModel needs to reload a saved
// run; build.ts imports them all, so any code that builds models has them registered too.
export { SeqModelConv1D } from './conv1d';
export { GlobalPooling1DKeepdims } from './global-pooling-keepdims';
export { ResetAfterGRU, ResetAfterGRUCell } from './gru-reset-after';
export { FastOrthogonal } from './orthogonal';
export { FusedGRU, FusedLSTM, FusedResetAfterGRU, FusedSimpleRNN } from '../fused/layers';
export { CellRNN } from './cell-rnn';
export { RecurrentCell } from './recurrent-cells';
