// Generates examples/data/activity.csv: a synthetic 3-axis accelerometer recording (a phone in a
// trouser pocket, m/s², 20 Hz) of five activities, for the human activity recognition lab of
// examples/activity.seqmodel. Each activity has its own rhythm (step frequency and harmonics),
// strength, noise and gravity orientation; every segment varies them a little, as another
// walk of the same person would. Deterministic: the same seed writes the same bytes.
//
// Usage: node --import tsx scripts/generate-activity.ts [output.csv] [--seed N]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, shuffledIndices } from '../src/training/data/random';

const RATE = 20; // samples per second
const G = 9.81;

/**
 * Per activity: the gravity direction in the phone's frame (x lateral, y along the thigh, z
 * forward), the step frequency (Hz, 0 for still), the movement amplitude per axis (m/s²),
 * how peaked the impacts are (1 a sine, larger sharper heel strikes), and the sensor noise.
 */
interface Activity {
  gravity: number[];
  freq: number;
  amp: number[];
  peak: number;
  noise: number;
  sway: number;
}

const ACTIVITIES: Record<string, Activity> = {
  standing: { gravity: [0.05, 0.99, 0.1], freq: 0, amp: [0, 0, 0], peak: 1, noise: 0.06, sway: 0.12 },
  sitting: { gravity: [0.1, 0.2, 0.97], freq: 0, amp: [0, 0, 0], peak: 1, noise: 0.05, sway: 0.08 },
  walking: { gravity: [0.05, 0.98, 0.18], freq: 1.9, amp: [0.9, 2.6, 1.4], peak: 2, noise: 0.3, sway: 0.2 },
  stairs: { gravity: [0.08, 0.9, 0.42], freq: 1.5, amp: [1.2, 3.2, 2.3], peak: 1.5, noise: 0.4, sway: 0.25 },
  running: { gravity: [0.05, 0.95, 0.3], freq: 2.8, amp: [2.8, 8.5, 3.5], peak: 3, noise: 0.8, sway: 0.3 },
};

function normalise(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((c) => c / n);
}

/**
 * The recording as CSV text: `rounds` rounds, each doing every activity once in a shuffled
 * order for 20-40 s, so that the last rounds (a validation split from the end) hold every class.
 */
export function activityRecording({ seed = 7, rounds = 5 } = {}): string {
  // The data generators' seeded generator: the recording never depends on Math.random.
  const random = createRandom(seed);
  const rand = random.next;
  const gaussian = random.normal;
  const names = Object.keys(ACTIVITIES);
  const lines = ['time,x,y,z,activity'];
  let t = 0;
  let gravity = ACTIVITIES.standing.gravity;
  for (let round = 0; round < rounds; round++) {
    for (const index of shuffledIndices(names.length, random)) {
      const name = names[index];
      const a = ACTIVITIES[name];
      const seconds = 20 + 20 * rand();
      // This segment's own pace, strength and way of holding the phone.
      const freq = a.freq * (1 + 0.08 * gaussian());
      const amp = a.amp.map((v) => v * (1 + 0.12 * gaussian()));
      const target = normalise(a.gravity.map((v) => v + 0.06 * gaussian()));
      const from = gravity;
      let phase = rand() * 2 * Math.PI;
      let drift = [0, 0, 0];
      const samples = Math.round(seconds * RATE);
      for (let i = 0; i < samples; i++) {
        // The phone turns to its new orientation over the first half second.
        const blend = Math.min(1, i / (RATE / 2));
        gravity = normalise(from.map((v, k) => v + (target[k] - v) * blend));
        // The pace wanders a little from step to step.
        phase += (2 * Math.PI * freq * (1 + 0.03 * gaussian())) / RATE;
        // Slow body sway: a random walk pulled back to zero.
        drift = drift.map((d) => 0.97 * d + a.sway * 0.25 * gaussian());
        const impact = Math.sign(Math.sin(phase)) * Math.abs(Math.sin(phase)) ** a.peak;
        const motion = [
          amp[0] * Math.sin(phase / 2), // lateral: one swing per stride (two steps)
          amp[1] * (impact + 0.3 * Math.sin(2 * phase)), // vertical: heel strike and its harmonic
          amp[2] * Math.cos(phase), // forward: the thigh's swing
        ];
        const xyz = gravity.map((g, k) => G * g + motion[k] + drift[k] + a.noise * gaussian());
        lines.push(`${t.toFixed(2)},${xyz.map((v) => v.toFixed(2)).join(',')},${name}`);
        t += 1 / RATE;
      }
    }
  }
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args.splice(seedAt, 2)[1]) : 7;
  if (!Number.isInteger(seed)) {
    console.error('--seed takes an integer.');
    process.exit(2);
  }
  const out = args[0] ?? join(__dirname, '..', 'examples', 'data', 'activity.csv');
  const text = activityRecording({ seed });
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${text.split('\n').length - 2} rows, ${(text.length / 1024).toFixed(0)} KiB`);
}
