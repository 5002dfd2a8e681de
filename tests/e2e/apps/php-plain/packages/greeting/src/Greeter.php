<?php

declare(strict_types=1);

namespace DockgenE2e\Greeting;

final class Greeter
{
    public function greet(string $who): string
    {
        return "hello, {$who}";
    }
}
