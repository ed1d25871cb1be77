// A synthetic sentiment corpus for the Embedding models (the RNN and LSTM notes train on IMDB, which cannot
// be downloaded here). Reviews are word ids in [1, vocab), 0 is padding. A fixed group of
// "positive" ids (1..g) and of "negative" ids (g+1..2g) carries the sentiment: a review with
// label 1 draws most of its sentiment words from the positive group, one with label 0 from the
// negative group; every other word is neutral, drawn with a Zipf-like skew as in real text.
// A model that learns which ids are positive and counts them gets high accuracy; one that
// ignores the words cannot beat 50%.
//
// Reviews are pre-padded with zeros to maxlen, as Keras's pad_sequences does by default.

import type { Dataset } from './dataset';
import { DataError } from './errors';
import { createRandom } from './random';

export interface SentimentOptions {
  samples: number;
  vocab: number;
  maxlen: number;
  seed: number;
}

/** Share of words that carry sentiment, and of those the share that contradicts the label. */
const SENTIMENT_RATE = 0.15;
const CONTRARY_RATE = 0.2;

/** Ids [1, g] are positive and [g + 1, 2g] negative; the rest are neutral. */
export function sentimentGroupSize(vocab: number): number {
  return Math.max(1, Math.min(50, Math.floor((vocab - 1) / 10)));
}

export function sentimentData(options: SentimentOptions): Dataset {
  const { samples, vocab, maxlen, seed } = options;
  if (!Number.isInteger(samples) || samples < 1) throw new DataError(`sentiment(): samples must be a positive integer, not ${samples}.`);
  if (!Number.isInteger(vocab) || vocab < 3) throw new DataError(`sentiment(): vocab must be an integer of at least 3, not ${vocab}.`);
  if (!Number.isInteger(maxlen) || maxlen < 1) throw new DataError(`sentiment(): maxlen must be a positive integer, not ${maxlen}.`);

  const random = createRandom(seed);
  const g = sentimentGroupSize(vocab);
  const neutralStart = 2 * g + 1;
  const neutralCount = vocab - neutralStart;
  const x = new Float32Array(samples * maxlen);
  const y = new Float32Array(samples);

  for (let s = 0; s < samples; s++) {
    const positive = random.next() < 0.5;
    y[s] = positive ? 1 : 0;
    // Reviews vary in length, from a quarter of maxlen to maxlen words.
    const minLength = Math.max(1, Math.floor(maxlen / 4));
    const length = minLength + random.int(maxlen - minLength + 1);
    const offset = s * maxlen + (maxlen - length);
    for (let w = 0; w < length; w++) {
      let id: number;
      if (neutralCount <= 0 || random.next() < SENTIMENT_RATE) {
        const agrees = random.next() >= CONTRARY_RATE;
        const fromPositive = agrees === positive;
        id = (fromPositive ? 1 : g + 1) + random.int(g);
      } else {
        // Squaring a uniform number favours small ids: a few neutral words are very common.
        const u = random.next();
        id = neutralStart + Math.floor(u * u * neutralCount);
      }
      x[offset + w] = id;
    }
    // Make sure every review has at least one word that agrees with its label.
    x[offset + random.int(length)] = (positive ? 1 : g + 1) + random.int(g);
  }
  return { x: { values: x, shape: [samples, maxlen] }, y: { values: y, shape: [samples, 1] } };
}
