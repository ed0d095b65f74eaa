import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Render,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { documentIdParam, versionParam } from '../documents/dto/documents.dto';
import { DocumentNotFound, SigningInputInvalid } from '../documents/documents.errors';
import { MeService } from '../people/me.service';
import { requestContextOf } from '../signatures/signing-evidence';
import { parseQuizAttempt } from './dto/quiz-attempt.dto';
import { TrainingService } from './training.service';
import type { AttemptResultView, MyTrainingView } from './training.views';

const ATTEMPT_ID = new ParseUUIDPipe({ exceptionFactory: () => new DocumentNotFound() });

/** Security awareness training: each module, its quiz, and the result of each attempt. */
@Controller('training')
export class TrainingController {
  constructor(
    private readonly training: TrainingService,
    private readonly me: MeService,
  ) {}

  @RequirePermission(Permission.SelfRead)
  @Get()
  @Render('training/index')
  mine(@CurrentPrincipal() actor: Principal): Promise<MyTrainingView> {
    return this.training.mine(actor);
  }

  @RequirePermission(Permission.SelfRead)
  @Get(':moduleId')
  async module(
    @CurrentPrincipal() actor: Principal,
    @Param('moduleId') moduleId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    res.render(
      'training/show',
      await this.training.module(actor, documentIdParam(moduleId), requestContextOf(req)),
    );
  }

  /** Post/redirect/get to the result: a reload never submits the quiz again. */
  @RequirePermission(Permission.SelfRead)
  @Post(':moduleId/versions/:version/attempts')
  async attempt(
    @CurrentPrincipal() actor: Principal,
    @Param('moduleId') moduleId: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const id = documentIdParam(moduleId);
    const form = parseQuizAttempt(body);
    const context = requestContextOf(req);
    try {
      const attemptId = await this.training.attempt(
        actor,
        id,
        versionParam(version),
        {
          answers: form.answers,
          intent: form.intent,
          typedName: form.typedName,
          submissionId: form.submission,
        },
        context,
      );
      res.redirect(303, `/training/${id}/attempts/${attemptId}`);
    } catch (error) {
      if (!(error instanceof SigningInputInvalid)) throw error;
      const view = await this.training.module(actor, id, context, {
        error: error.message,
        typedName: form.typedName,
        answers: form.answers,
      });
      res.status(422).render('training/show', view);
    }
  }

  @RequirePermission(Permission.SelfRead)
  @Get(':moduleId/attempts/:attemptId')
  @Render('training/result')
  async result(
    @CurrentPrincipal() actor: Principal,
    @Param('moduleId') moduleId: string,
    @Param('attemptId', ATTEMPT_ID) attemptId: string,
  ): Promise<AttemptResultView> {
    const view = await this.training.result(actor, documentIdParam(moduleId), attemptId);
    if (!view.passed || !view.signatureId) return view;
    return {
      ...view,
      confirmation: await this.me.confirmation(
        actor,
        `You passed ${view.moduleTitle}`,
        view.signatureId,
      ),
    };
  }
}
