// Generates a realistic .seqmodel file of about `lines` lines: constants, data sources,
// models of every common layer kind, train blocks and predictions, with comments.

const BLOCK = (i: number) => `# block ${i}: a forecasting model and a classifier
let steps_${i} = ${3 + (i % 5)}
let units_${i} = ${16 + (i % 4) * 8}
data series_${i} = window([${Array.from({ length: 12 }, (_, k) => (k + i) * 10).join(', ')}], steps=steps_${i}, horizon=2)

model forecast_${i} {
  input(steps_${i}, 1)
  Conv1D(16, 2, padding="causal")
  LSTM(units_${i}, return_sequences=True)
  Bidirectional(GRU(8, return_sequences=True), merge_mode="concat")
  LayerNormalization()
  TimeDistributed(Dense(4))
  SimpleRNN(units_${i} // 2, activation="relu")
  BatchNormalization()
  Dropout(0.2)
  Dense(2)
}

model classify_${i} {
  Embedding(10000, 32)
  LSTM(32)
  Dense(1, activation="sigmoid")
}

train forecast_${i} on series_${i} {
  optimizer = adam(learning_rate=0.001)
  loss = "mse"
  epochs = 100
}

predict forecast_${i} [${Array.from({ length: 3 + (i % 5) }, (_, k) => k * 10).join(', ')}]
`;

export const BLOCK_LINES = BLOCK(0).split('\n').length - 1;

export function generate(lines: number): string {
  const parts: string[] = [];
  for (let i = 0; parts.length * BLOCK_LINES < lines; i++) parts.push(BLOCK(i));
  return parts.join('');
}
