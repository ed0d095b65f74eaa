import { type DestinationStream, pino } from 'pino';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import {
  REDACTED_PATHS,
  serializeError,
  serializeRequest,
  serializeResponse,
} from './log-redaction';
import { requestIdFor } from './request-id';

/** Structured JSON logs with the request id on every line and no personal data. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: config.logLevel,
              genReqId: requestIdFor,
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              serializers: {
                req: serializeRequest,
                res: serializeResponse,
                err: serializeError,
              },
              customSuccessMessage: () => 'request completed',
              customErrorMessage: () => 'request failed',
              // Lines logged while handling a request carry just its id, under "requestId".
              quietReqLogger: true,
              customAttributeKeys: { reqId: 'requestId' },
              autoLogging: {
                ignore: (req) => req.url === '/healthz' || req.url === '/readyz',
              },
            },
            destination ?? pino.destination(1),
          ],
        }),
      ],
    };
  }
}
