"""Departments (承办单位): the organs and towns that handle requests and tickets."""
