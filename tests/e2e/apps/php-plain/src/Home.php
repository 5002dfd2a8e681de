<?php

declare(strict_types=1);

namespace App;

use DockgenE2e\Greeting\Greeter;

final class Home
{
    public function body(): array
    {
        return [
            'app' => 'php-plain',
            'marker' => 'e2e-v1',
            'greeting' => (new Greeter())->greet('e2e'),
            'php' => PHP_VERSION,
            'opcache' => function_exists('opcache_get_status') && (opcache_get_status(false)['opcache_enabled'] ?? false),
        ];
    }
}
