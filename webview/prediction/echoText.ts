// The echo output of the course's LSTMs lecture, one line per sample: "Sequence: [7, 0, 2, 6, 7] Expected: 2 Predicted: 2".
import type { ClassificationSample } from '../protocol';
import { argmax } from '../../src/language';

export function predictedClass(sample: ClassificationSample): number {
  return argmax(sample.probabilities);
}

export function echoLine(sample: ClassificationSample, classNames?: string[]): string {
  const name = (c: number) => (classNames && classNames[c] !== undefined ? classNames[c] : String(c));
  const expected = sample.expected === null ? '?' : name(sample.expected);
  // A window of sensor readings has no sequence of classes to print (sequence is empty).
  const sequence = sample.sequence.length ? `Sequence: [${sample.sequence.map(name).join(', ')}] ` : '';
  return `${sequence}Expected: ${expected} Predicted: ${name(predictedClass(sample))}`;
}
