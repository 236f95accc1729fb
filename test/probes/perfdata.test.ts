import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PerfDatum } from '../../src/core/index.ts';
import { parsePerfdata, parsePluginOutput } from '../../src/probes/index.ts';

describe('parsePerfdata', () => {
  const cases: Array<[string, string, PerfDatum[], string[]]> = [
    ['plain value', 'users=3', [{ label: 'users', value: 3, uom: '' }], []],
    [
      'all fields',
      'time=0.000510s;1;2;0.000000;10.000000',
      [{ label: 'time', value: 0.00051, uom: 's', warn: '1', crit: '2', min: 0, max: 10 }],
      [],
    ],
    [
      'quoted label with spaces',
      "'free space'=12GB;;;0;100",
      [{ label: 'free space', value: 12, uom: 'GB', min: 0, max: 100 }],
      [],
    ],
    ["'' escapes a quote", "'it''s'=1", [{ label: "it's", value: 1, uom: '' }], []],
    ['quoted label with = inside', "'a=b'=2c", [{ label: 'a=b', value: 2, uom: 'c' }], []],
    [
      'several items and UOMs',
      'rta=0.05ms;100;500;0 pl=0%;20;60;0;100 in=123c out=4KB /=382MB;15264;15269;;',
      [
        { label: 'rta', value: 0.05, uom: 'ms', warn: '100', crit: '500', min: 0 },
        { label: 'pl', value: 0, uom: '%', warn: '20', crit: '60', min: 0, max: 100 },
        { label: 'in', value: 123, uom: 'c' },
        { label: 'out', value: 4, uom: 'KB' },
        { label: '/', value: 382, uom: 'MB', warn: '15264', crit: '15269' },
      ],
      [],
    ],
    [
      'negative values and ranges as thresholds',
      'temp=-3.5;@-10:0;~:5;-40;60',
      [{ label: 'temp', value: -3.5, uom: '', warn: '@-10:0', crit: '~:5', min: -40, max: 60 }],
      [],
    ],
    ['missing middle fields', 'load=1.5;;;;4', [{ label: 'load', value: 1.5, uom: '', max: 4 }], []],
    ['trailing semicolons dropped', 'x=1;2', [{ label: 'x', value: 1, uom: '', warn: '2' }], []],
    ['decimal comma', 'x=1,5s', [{ label: 'x', value: 1.5, uom: 's' }], []],
    ['leading dot', 'x=.5', [{ label: 'x', value: 0.5, uom: '' }], []],
    ['exponent', 'x=1e3B', [{ label: 'x', value: 1000, uom: 'B' }], []],
    [
      'extra whitespace',
      '  a=1   b=2  ',
      [
        { label: 'a', value: 1, uom: '' },
        { label: 'b', value: 2, uom: '' },
      ],
      [],
    ],
    [
      'min/max with a repeated unit',
      'p=5%;;;0%;100%',
      [{ label: 'p', value: 5, uom: '%', min: 0, max: 100 }],
      [],
    ],
    ['garbage only', 'this is not perfdata', [], ['this', 'is', 'not', 'perfdata']],
    ['no value', 'a= b=1', [{ label: 'b', value: 1, uom: '' }], ['a=']],
    ['non-numeric value', 'a=fast b=2', [{ label: 'b', value: 2, uom: '' }], ['a=fast']],
    ['empty label', '=5 c=1', [{ label: 'c', value: 1, uom: '' }], ['=5']],
    ['unterminated quote', "ok=1 'broken label=3", [{ label: 'ok', value: 1, uom: '' }], ["'broken label=3"]],
    ['quoted label without =', "'lonely' x=1", [{ label: 'x', value: 1, uom: '' }], ["'lonely'"]],
    ['empty', '', [], []],
  ];
  for (const [name, text, perfdata, garbage] of cases) {
    it(name, () => {
      assert.deepEqual(parsePerfdata(text), { perfdata, garbage });
    });
  }

  it("reads 'U' (value undetermined) as NaN and keeps its thresholds", () => {
    const { perfdata, garbage } = parsePerfdata('rta=U;100;200');
    assert.equal(garbage.length, 0);
    assert.equal(perfdata.length, 1);
    assert.ok(Number.isNaN(perfdata[0]!.value));
    assert.equal(perfdata[0]!.warn, '100');
  });

  it('never throws on random input', () => {
    const alphabet = "ab '=;:.-0123456789%sU\t,e";
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let i = 0; i < 30; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += alphabet[seed % alphabet.length];
      }
      const parsed = parsePerfdata(text);
      for (const d of parsed.perfdata) assert.equal(typeof d.value, 'number');
    }
  });
});

describe('parsePluginOutput (Nagios parse_check_output)', () => {
  it('splits output and perfdata on the first line', () => {
    assert.deepEqual(parsePluginOutput('DISK OK - free space: / 3326 MB | /=2643MB;5948;5958;0;5968\n'), {
      output: 'DISK OK - free space: / 3326 MB',
      longOutput: '',
      perfdata: [{ label: '/', value: 2643, uom: 'MB', warn: '5948', crit: '5958', min: 0, max: 5968 }],
    });
  });

  it('takes following lines as long output, and perfdata after a | continuing over later lines', () => {
    const stdout = [
      'DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968',
      '/ 15272 MB (77%);',
      '/boot 68 MB (69%);',
      '/home 69357 MB (27%);',
      '/var/log 819 MB (84%); | /boot=68MB;88;93;0;98',
      '/home=69357MB;253404;253409;0;253414',
      "'/var log'=818MB;970;975;0;980",
      '',
    ].join('\n');
    const parsed = parsePluginOutput(stdout);
    assert.equal(parsed.output, 'DISK OK - free space: / 3326 MB (56%);');
    assert.equal(
      parsed.longOutput,
      '/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%); ',
    );
    assert.deepEqual(
      parsed.perfdata.map((p) => p.label),
      ['/', '/boot', '/home', '/var log'],
    );
  });

  it('keeps the rest of the line after the first | as perfdata, even with more pipes', () => {
    const parsed = parsePluginOutput('OK | a=1 | b=2');
    assert.equal(parsed.output, 'OK');
    assert.deepEqual(
      parsed.perfdata.map((p) => p.label),
      ['a', 'b'],
    );
    assert.match(parsed.longOutput, /Unparsable perfdata \(kept verbatim\): \|/);
  });

  it('handles output that starts with | and empty stdout', () => {
    assert.deepEqual(parsePluginOutput('|a=1'), {
      output: '',
      longOutput: '',
      perfdata: [{ label: 'a', value: 1, uom: '' }],
    });
    assert.deepEqual(parsePluginOutput(''), { output: '', longOutput: '', perfdata: [] });
  });

  it('strips CR from CRLF output', () => {
    assert.deepEqual(parsePluginOutput('OK\r\nline two\r\n'), {
      output: 'OK',
      longOutput: 'line two',
      perfdata: [],
    });
  });

  it('appends garbage perfdata to the long output instead of dropping it', () => {
    const parsed = parsePluginOutput('OK - fine | a=1 what?? b=x\nmore');
    assert.deepEqual(parsed.perfdata, [{ label: 'a', value: 1, uom: '' }]);
    assert.equal(parsed.longOutput, 'more\nUnparsable perfdata (kept verbatim): what?? b=x');
  });
});
