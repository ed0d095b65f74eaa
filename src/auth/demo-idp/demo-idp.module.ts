import { type DynamicModule, Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DemoIdpController } from './demo-idp.controller';
import { loadOrCreateDemoIdpKeys } from './demo-idp.keys';
import { DEMO_IDP_KEYS, DEMO_IDP_OPTIONS, type DemoIdpOptions } from './demo-idp.options';
import { DemoIdpService } from './demo-idp.service';

export { demoIdpEntityId, demoIdpSsoUrl, type DemoIdpOptions } from './demo-idp.options';

/** The certificate the SP trusts when the demo IdP stands in for a real one. */
export async function demoIdpCertificate(dataDir: string): Promise<string> {
  return (await loadOrCreateDemoIdpKeys(dataDir)).certPem;
}

/** Import only outside production, when no IdP is configured. */
@Module({})
export class DemoIdpModule {
  static forRoot(options: DemoIdpOptions): DynamicModule {
    return {
      module: DemoIdpModule,
      controllers: [DemoIdpController],
      providers: [
        { provide: DEMO_IDP_OPTIONS, useValue: Object.freeze({ ...options }) },
        { provide: DEMO_IDP_KEYS, useFactory: () => loadOrCreateDemoIdpKeys(options.dataDir) },
        Clock,
        DemoIdpService,
      ],
    };
  }
}
