import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JobName } from './job-names';
import type { JobContext } from './job-queue';
import { JobHandler, JobRegistry, JobRegistryError, jobHandlerMethods } from './job-registry';

describe('JobRegistry', () => {
  test('validate lists every missing and every doubled job name at once', () => {
    const registry = new JobRegistry().register(JobName.ExportRange, function a() {}).register(JobName.ExportRange, function b() {});
    assert.throws(
      () => registry.validate(),
      (err: unknown) => {
        assert.ok(err instanceof JobRegistryError);
        assert.deepEqual([...err.missing].sort(), [JobName.CloudImport, JobName.RetentionSweep]);
        assert.deepEqual(err.duplicated, [{ name: JobName.ExportRange, sources: ['a', 'b'] }]);
        assert.match(err.message, /retention-sweep: no handler registered/);
        assert.match(err.message, /cloud-import: no handler registered/);
        assert.match(err.message, /export-range: 2 handlers \(a, b\), expected one/);
        return true;
      },
    );
  });

  test('one handler per name passes and is returned', () => {
    const exportRange = () => 'e';
    const registry = new JobRegistry()
      .register(JobName.ExportRange, exportRange)
      .register(JobName.RetentionSweep, () => 'r')
      .register(JobName.CloudImport, () => 'c');
    registry.validate();
    assert.equal(registry.handlerFor(JobName.ExportRange), exportRange);
  });

  test('@JobHandler: methods of one service, inherited ones, and overrides counted once', () => {
    class Base {
      @JobHandler(JobName.CloudImport)
      importCameras() {
        return 'base';
      }
      @JobHandler(JobName.RetentionSweep)
      sweep() {
        return 'base sweep';
      }
    }
    class Service extends Base {
      readonly tag = 'svc';
      @JobHandler(JobName.RetentionSweep)
      override sweep() {
        return `${this.tag} sweep`;
      }
      @JobHandler(JobName.ExportRange)
      exportRange(ctx: JobContext<JobName.ExportRange>) {
        return `${this.tag}:${ctx.data.exportId}`;
      }
    }
    const methods = jobHandlerMethods(new Service()).map((m) => `${m.name}=${String(m.method)}`);
    assert.deepEqual(methods.sort(), ['cloud-import=importCameras', 'export-range=exportRange', 'retention-sweep=sweep']);

    const registry = new JobRegistry().registerInstance(new Service());
    registry.validate();
    assert.equal(registry.handlerFor(JobName.RetentionSweep)({} as JobContext), 'svc sweep');
    assert.equal(registry.handlerFor(JobName.ExportRange)({ data: { exportId: 'e1' } } as JobContext), 'svc:e1');
  });

  test('two services claiming the same job are reported by class and method', () => {
    class A {
      @JobHandler(JobName.ExportRange)
      run() {}
    }
    class B {
      @JobHandler(JobName.ExportRange)
      handle() {}
    }
    const registry = new JobRegistry().registerInstance(new A()).registerInstance(new B());
    assert.throws(() => registry.validate(), /export-range: 2 handlers \(A\.run, B\.handle\)/);
  });
});
