// Boots the notes API: the npm + NestJS app of dockgen's end-to-end test.
import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ["error", "warn"] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 8113), "0.0.0.0");
}

void bootstrap();
