import 'reflect-metadata';
import { runMain } from '@privatelink/platform';
import { NotifierModule } from './notifier.module';

/** notifier as its own process (the distributed run): `nx serve notifier`. */
runMain('notifier', [NotifierModule]);
