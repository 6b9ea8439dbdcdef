import 'reflect-metadata';
import { runMain } from '@privatelink/platform';
import { NotifierModule } from './notifier.service';

/** notifier as its own process (the distributed run): `nx serve notifier`. */
runMain('notifier', [NotifierModule]);
