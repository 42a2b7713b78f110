import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger as NestLogger } from '@nestjs/common';
import { createLogger } from './logger';
import { NestPinoLogger } from './nest-pino-logger';
import { SecretRegistry } from './secret-registry';

const ENR = 'NeSt-EnR-0123456';

function setup() {
  const lines: string[] = [];
  const secrets = new SecretRegistry();
  secrets.register(ENR);
  const pino = createLogger({ level: 'trace', destination: { write: (l: string) => lines.push(l) }, secrets });
  return { lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), nest: new NestPinoLogger(pino) };
}

describe('NestPinoLogger', () => {
  test('maps Nest levels and keeps the context as a field', () => {
    const { nest, records } = setup();
    nest.log('Nest application successfully started', 'NestApplication');
    nest.warn('slow', 'Recorder');
    nest.debug('d', 'X');
    nest.verbose('v', 'X');
    nest.fatal('f', 'X');
    assert.deepEqual(
      records().map((r) => [r.level, r.msg, r.context]),
      [
        ['info', 'Nest application successfully started', 'NestApplication'],
        ['warn', 'slow', 'Recorder'],
        ['debug', 'd', 'X'],
        ['trace', 'v', 'X'],
        ['fatal', 'f', 'X'],
      ],
    );
  });

  test('module and route wiring lines are debug, other bootstrap lines stay info', () => {
    const { nest, records } = setup();
    nest.log('AppModule dependencies initialized', 'InstanceLoader');
    nest.log('CamerasController {/cameras}:', 'RoutesResolver');
    nest.log('Mapped {/cameras, GET} route', 'RouterExplorer');
    nest.log('Nest application successfully started', 'NestApplication');
    assert.deepEqual(
      records().map((r) => [r.level, r.context]),
      [
        ['debug', 'InstanceLoader'],
        ['debug', 'RoutesResolver'],
        ['debug', 'RouterExplorer'],
        ['info', 'NestApplication'],
      ],
    );
  });

  test('error(message, stack, context) and error(message, stack)', () => {
    const { nest, records } = setup();
    const stack = new Error('boom').stack ?? '';
    nest.error('boom', stack, 'ExceptionsHandler');
    nest.error('boom2', stack);
    nest.error('boom3', 'OnlyContext');
    const [a, b, c] = records();
    assert.deepEqual([a.msg, a.stack, a.context], ['boom', stack, 'ExceptionsHandler']);
    assert.deepEqual([b.msg, b.stack, b.context], ['boom2', stack, undefined]);
    assert.deepEqual([c.msg, c.stack, c.context], ['boom3', undefined, 'OnlyContext']);
  });

  test('Error and object messages', () => {
    const { nest, records } = setup();
    nest.error(new RangeError('out of range'), 'Ctx');
    nest.log({ route: '/cameras', method: 'GET' }, 'RouterExplorer');
    const [a, b] = records();
    assert.equal(a.msg, 'out of range');
    assert.equal((a.err as Record<string, unknown>).type, 'RangeError');
    assert.equal(a.context, 'Ctx');
    assert.equal(b.route, '/cameras');
    assert.equal(b.context, 'RouterExplorer');
  });

  test('Nest’s own Logger goes through the adapter, and a registered ENR stays hidden', () => {
    const { nest, lines, records } = setup();
    NestLogger.overrideLogger(nest);
    const err = new Error(`camera rejected key ${ENR}`);
    new NestLogger('CameraSupervisor').error(err.message, err.stack);
    new NestLogger('CameraSupervisor').log({ enr: 'field-enr-value' });
    assert.equal(lines.length, 2);
    const [rec] = records();
    assert.equal(rec.context, 'CameraSupervisor');
    assert.equal(rec.level, 'error');
    const text = lines.join('');
    assert.ok(!text.includes(ENR), text);
    assert.ok(!text.includes('field-enr-value'), text);
  });

  test('setLogLevels picks the most verbose level asked for', () => {
    const { nest, records } = setup();
    nest.setLogLevels(['error', 'warn']);
    nest.log('dropped');
    nest.warn('kept');
    assert.deepEqual(records().map((r) => r.msg), ['kept']);
  });
});
