# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /var/www/html
COPY . .
COPY --from=composer:2.9 /usr/bin/composer /usr/bin/composer
RUN composer install --no-dev
EXPOSE 80
CMD ["apache2-foreground"]
