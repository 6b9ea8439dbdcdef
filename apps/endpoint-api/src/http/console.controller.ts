import { Controller, Get, Header, Res } from '@nestjs/common';
import { Response } from 'express';
import { Public } from '@privatelink/platform';
import { consoleScript } from '../console/console-client';
import { CONSOLE_CSS, CONSOLE_HTML } from '../console/console-page';

// Everything the page loads is served from here; the policy forbids any other origin and inline script.
const POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const script = consoleScript();

/**
 * The ops console at /console: one page, a style sheet and a script, public like /docs (the page holds no
 * data; it signs in with an API key and calls the API with it as the bearer, in the tab's session storage).
 */
@Controller('console')
@Public()
export class ConsoleController {
  @Get()
  page(@Res() res: Response) {
    res.setHeader('content-security-policy', POLICY);
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(CONSOLE_HTML);
  }

  @Get('console.js')
  @Header('cache-control', 'no-cache')
  script(@Res() res: Response) {
    res.type('application/javascript').send(script);
  }

  @Get('console.css')
  @Header('cache-control', 'no-cache')
  style(@Res() res: Response) {
    res.type('css').send(CONSOLE_CSS);
  }
}
