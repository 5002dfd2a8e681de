import { Controller, Get, Header } from "@nestjs/common";

@Controller()
export class AppController {
  private readonly notes = ["buy milk", "ship it"];

  @Get()
  @Header("Content-Type", "text/plain")
  index(): string {
    return "hello from node-nest e2e-v1\n";
  }

  @Get("notes")
  list(): string[] {
    return this.notes;
  }

  @Get("healthz")
  health(): { status: string } {
    return { status: "ok" };
  }
}
