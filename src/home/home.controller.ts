import { Controller, Get, Inject, Render } from '@nestjs/common';
import { Public } from '../access/access.decorators';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

export interface HomeView {
  title: string;
  organisation: string;
}

@Controller()
export class HomeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get()
  @Render('home/index')
  index(): HomeView {
    return { title: 'Welcome', organisation: this.config.organisationName };
  }
}
