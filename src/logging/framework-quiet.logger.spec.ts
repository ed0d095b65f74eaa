import { FrameworkQuietLogger } from './framework-quiet.logger';

describe(FrameworkQuietLogger.name, () => {
  const inner = () => ({
    log: jest.fn(),
    error: jest.fn(),
    warn: jest.fn(),
    debug: jest.fn(),
    verbose: jest.fn(),
    fatal: jest.fn(),
  });

  it.each(['RouterExplorer', 'RoutesResolver', 'InstanceLoader', 'NestApplication', 'NestFactory'])(
    "sends Nest's %s lines to debug",
    (context) => {
      const target = inner();
      const sut = new FrameworkQuietLogger(target);
      sut.log('Mapped {/me, GET} route', context);
      expect(target.debug).toHaveBeenCalledWith('Mapped {/me, GET} route', context);
      expect(target.log).not.toHaveBeenCalled();
    },
  );

  it("keeps the app's own lines, and every warning and error, where they were", () => {
    const target = inner();
    const sut = new FrameworkQuietLogger(target);
    sut.log('published 3 document version(s)', 'DocumentSyncService');
    sut.warn('careful', 'RouterExplorer');
    sut.error('broken', 'stack', 'InstanceLoader');
    expect(target.log).toHaveBeenCalledWith(
      'published 3 document version(s)',
      'DocumentSyncService',
    );
    expect(target.warn).toHaveBeenCalledWith('careful', 'RouterExplorer');
    expect(target.error).toHaveBeenCalledWith('broken', 'stack', 'InstanceLoader');
    expect(target.debug).not.toHaveBeenCalled();
  });
});
