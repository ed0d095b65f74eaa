import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import {
  type ControlCharacterFound,
  controlCharacterInBody,
  controlCharacterInQuery,
} from './control-characters';

function refusal({ field, codePoint }: ControlCharacterFound): BadRequestException {
  return new BadRequestException({
    message: `The field “${field}” contains an invisible control character (${codePoint}). Remove it and try again.`,
    details: { field, codePoint },
  });
}

/**
 * Refuses control characters at the edge, for every route, with a 400 that names the field,
 * before any service or query sees the value.
 */
@Injectable()
export class ControlCharactersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const found =
        controlCharacterInQuery(req.params) ??
        controlCharacterInQuery(req.query) ??
        controlCharacterInBody(req.body);
      if (found) throw refusal(found);
    }
    return next.handle();
  }
}
