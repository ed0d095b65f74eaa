import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  Render,
} from '@nestjs/common';
import { Public } from '../../access/access.decorators';
import { SkipCsrf } from '../../access/csrf.guard';
import { SamlMessageRejected } from '../saml/saml.errors';
import {
  type DemoIdpIndexView,
  DemoIdpService,
  type DemoPersonaChoiceView,
  type DemoSamlPostView,
} from './demo-idp.service';
import { DemoSignInSchema, parseDto, ReviewDemoSignInSchema } from './dto/demo-sign-in.dto';

/** A request the demo IdP will not answer is the browser's problem to restart: a 400 page. */
function answering<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof SamlMessageRejected) throw new BadRequestException(error.message);
    throw error;
  }
}

@Controller('demo-idp')
export class DemoIdpController {
  constructor(private readonly demoIdp: DemoIdpService) {}

  @Public()
  @Get()
  @Render('demo-idp/index')
  index(): DemoIdpIndexView {
    return this.demoIdp.overview();
  }

  @Public()
  @Get('metadata')
  @Header('Content-Type', 'application/samlmetadata+xml')
  metadata(): string {
    return this.demoIdp.metadata();
  }

  @Public()
  @Get('sso')
  @Header('Cache-Control', 'no-store')
  @Render('demo-idp/personas')
  review(@Query() query: unknown): DemoPersonaChoiceView {
    const input = parseDto(ReviewDemoSignInSchema, query);
    return answering(() => this.demoIdp.review(input.SAMLRequest, input.RelayState));
  }

  @Public()
  // An IdP form, not an Attest one: the ACS it leads to is protected by InResponseTo.
  @SkipCsrf()
  @Post('sso')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Render('demo-idp/post')
  signIn(@Body() body: unknown): DemoSamlPostView {
    const input = parseDto(DemoSignInSchema, body);
    return answering(() => this.demoIdp.signIn(input.persona, input.SAMLRequest, input.RelayState));
  }
}
