<?php

declare(strict_types=1);

require __DIR__ . '/../vendor/autoload.php';

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
header('Content-Type: application/json');

switch ($path) {
    case '/':
        echo json_encode((new App\Home())->body()), "\n";
        break;
    case '/healthz':
        echo json_encode(['status' => 'ok']), "\n";
        break;
    default:
        http_response_code(404);
        echo json_encode(['error' => 'not found', 'path' => $path]), "\n";
}
