<?php

declare(strict_types=1);

namespace DockgenE2e\Banner;

final class Banner
{
    public static function line(): string
    {
        return 'served by dockgen';
    }
}
