import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { run } from '../../src/cli/main';
import { useTempDir } from '../helpers/temp-dir';

// `seqmodel import`: the command's own behaviour (what goes to stdout, stderr, the file, and
// the exit code); what is imported is tested in import-*.test.ts.

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const ECHO = `from keras.models import Sequential
from keras.layers import LSTM, Dense
length = 5
n_features = 10
model = Sequential()
model.add(LSTM(25, input_shape=(length, n_features)))
model.add(Dense(n_features, activation='softmax'))
model.add(Attention())
`;

describe('CLI: import', () => {
  const dir = useTempDir('import');

  it('prints the .seqmodel file and the warnings with their Python line', async () => {
    const file = join(dir(), 'echo.py');
    writeFileSync(file, ECHO);
    const c = capture();
    assert.equal(await run(['import', file], c.io), 0);
    assert.match(c.out.join('\n'), /model lstm \{\n {2}LSTM\(25, input_shape=\(length, n_features\)\)\n {2}Dense\(n_features, activation="softmax"\)\n {2}# line 8: Attention\(\) is not a layer/);
    assert.deepEqual(c.err, [`${file}:8:11: warning: Attention() is not a layer SeqModel knows; not imported.`]);
  });

  it('-o writes the file, which then analyses to the same counts', async () => {
    const file = join(dir(), 'echo.py');
    const out = join(dir(), 'echo.seqmodel');
    writeFileSync(file, ECHO);
    const c = capture();
    assert.equal(await run(['import', file, '-o', out], c.io), 0);
    assert.deepEqual(c.out, []);
    assert.match(c.err[c.err.length - 1], /^Wrote .*echo\.seqmodel: 1 model\(s\), 1 warning\(s\)\.$/);
    const s = capture();
    assert.equal(await run(['summary', out], s.io), 0);
    assert.match(s.out.join('\n'), /Total params: 3,860/);
    assert.match(readFileSync(out, 'utf8'), /^# Imported from echo\.py by SeqModel Studio/);
  });

  it('reads a .keras file as bytes', async () => {
    const config = { class_name: 'Sequential', config: { name: 'tiny', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 4, 2] } }, { class_name: 'GRU', config: { name: 'gru', units: 3 } }] } };
    const file = join(dir(), 'tiny.keras');
    writeFileSync(file, zipSync({ 'config.json': strToU8(JSON.stringify(config)) }));
    const c = capture();
    assert.equal(await run(['import', file], c.io), 0);
    assert.match(c.out.join('\n'), /model tiny \{\n {2}input\(4, 2\)\n {2}GRU\(3\)\n\}/);
  });

  it('exits 1 with a located error for a file it cannot import, 2 for a missing one', async () => {
    const bad = join(dir(), 'bad.json');
    writeFileSync(bad, '{"class_name": "Sequential",\n "config": {]}');
    const c = capture();
    assert.equal(await run(['import', bad], c.io), 1);
    assert.deepEqual(c.out, []);
    assert.match(c.err[0], /bad\.json:2:13: error: .*bad\.json is not valid JSON/);
    const m = capture();
    assert.equal(await run(['import', join(dir(), 'missing.py')], m.io), 2);
    assert.match(m.err[0], /missing\.py: no such file/);
    const u = capture();
    assert.equal(await run(['import'], u.io), 2);
    assert.match(u.err[0], /import takes exactly one file/);
  });

  it('exits 1 when the imported model does not analyse, naming the problem', async () => {
    const file = join(dir(), 'shapes.py');
    writeFileSync(file, 'from keras.models import Sequential\nfrom keras.layers import LSTM, Dense\nm = Sequential([Dense(4, input_shape=(3,)), LSTM(2)])\n');
    const c = capture();
    assert.equal(await run(['import', file], c.io), 1);
    assert.match(c.err.join('\n'), /imported\.seqmodel:\d+:\d+: error .*LSTM expects 3D input/);
  });
});
